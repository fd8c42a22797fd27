import { html, type Html } from '../html.js';
import { layout, type PageContext } from '../layout.js';
import type { WaitingItem } from '../waiting.js';
import { formatWhen } from '../when.js';

/** The home page: what waits for this person now, across clients, soonest window first. */
export function waitingPage(page: PageContext, items: WaitingItem[]): Html {
  const user = page.user!;
  return layout(
    'Waiting for me',
    page,
    html`<h1>Waiting for ${user.name}</h1>
      <p class="lead">
        ${items.length === 0 ? 'Nothing waits for you now.' : `${items.length} thing${items.length === 1 ? '' : 's'} to do`}
        <small>as ${user.roles.join(', ')}, across every client, the soonest window first.</small>
        <a href="/board">All deployments</a>
      </p>
      <ol class="waiting" id="waiting">
        ${items.map(
          (i) =>
            html`<li class="waiting-item">
              <a class="todo" href="/deployments/${i.deploymentId}${i.href}">${i.words}</a>
              <span class="meta"
                ><strong>${i.deploymentId}</strong> · ${i.client} ·
                <span class="state state-${i.state}">${i.state}</span> · window
                ${i.windowStart ? formatWhen(i.windowStart, i.timeZone) : 'not set'}</span
              >
            </li>`,
        )}
      </ol>`,
    { current: '/' },
  );
}
