import { html, type Html } from '../html.js';
import { layout } from '../layout.js';

export function loginPage(opts: { csrf: string; next?: string; error?: string; login?: string }): Html {
  return layout(
    'Log in',
    { user: null, csrf: opts.csrf },
    html`<h1>Log in</h1>
      <form class="login" method="post" action="/login">
        ${opts.error ? html`<p class="error" role="alert" id="login-error">${opts.error}</p>` : ''}
        <input type="hidden" name="_csrf" value="${opts.csrf}" />
        <input type="hidden" name="next" value="${opts.next ?? '/'}" />
        <p>
          <label for="login">Login</label>
          <input
            id="login"
            name="login"
            autocomplete="username"
            required
            value="${opts.login ?? ''}"
            ${opts.error ? html` aria-describedby="login-error"` : ''}
          />
        </p>
        <p>
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
        </p>
        <p><button type="submit">Log in</button></p>
      </form>
      <p class="hint">
        No password yet? A colleague with a terminal runs <code>mokodeploy user password LOGIN</code>.
      </p>`,
  );
}
