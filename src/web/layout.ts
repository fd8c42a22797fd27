import { html, type Html } from './html.js';
import type { Actor } from '../core/team.js';

export interface PageContext {
  user: Actor | null;
  csrf: string;
  /** A one-line outcome of the last form (from the redirect after a POST). */
  notice?: string;
  /** Whether "Submit a plan" is offered (people without plan.submit do not see it). */
  canSubmitPlan?: boolean;
}

const nav = [
  { href: '/', label: 'Deployments' },
  { href: '/plans/new', label: 'Submit a plan' },
  { href: '/metrics', label: 'Metrics' },
  { href: '/review', label: 'Review & lessons' },
  { href: '/audit', label: 'Audit trail' },
];

/** The page shell: skip link, banner with navigation and the person, main, footer. No inline script or style (CSP). */
export function layout(
  title: string,
  page: PageContext,
  body: Html,
  opts: { scripts?: string[]; current?: string } = {},
): Html {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} — mokodeploy</title>
        <link rel="stylesheet" href="/assets/app.css" />
        ${(opts.scripts ?? []).map((src) => html`<script src="${src}" defer></script> `)}
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="banner">
          <p class="brand"><a href="/">mokodeploy</a> <span>MokoCRM client deployments</span></p>
          ${
            page.user
              ? html`<nav aria-label="Main">
                    <ul>
                      ${nav.filter((n) => n.href !== '/plans/new' || page.canSubmitPlan).map((n) => html`<li><a href="${n.href}" ${opts.current === n.href ? html` aria-current="page"` : ''}>${n.label}</a></li>`)}
                    </ul>
                  </nav>
                  <form class="who" method="post" action="/logout">
                    <span>${page.user.name} <small>(${page.user.roles.join(', ')})</small></span>
                    <input type="hidden" name="_csrf" value="${page.csrf}" />
                    <button type="submit">Log out</button>
                  </form>`
              : ''
          }
        </header>
        <main id="main">
          ${page.notice ? html`<p class="notice" role="status">${page.notice}</p>` : ''} ${body}
        </main>
        <footer>
          <p>
            Records follow the MokoCRM Client Deployment Policy; every change is in the hash-chained audit
            trail.
          </p>
        </footer>
      </body>
    </html> `;
}
