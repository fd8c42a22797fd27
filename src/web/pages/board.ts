import { html, type Html } from '../html.js';
import { layout, type PageContext } from '../layout.js';
import { states } from '../../core/record.js';
import type { DeploymentSummary } from '../../store/store.js';

/** Every deployment by state (columns) and client (sorted, filterable). */
export function boardPage(page: PageContext, all: DeploymentSummary[], client?: string): Html {
  const rows = all.filter((d) => !client || d.client === client);
  const clients = [...new Set(all.map((d) => d.client))].sort();
  const shown = states.filter(
    (s) => rows.some((d) => d.state === s) || !['rolled-back', 'cancelled', 'closed'].includes(s),
  );
  return layout(
    'Deployments',
    page,
    html`<h1>Deployments</h1>
      <form class="filter" method="get" action="/">
        <label for="client">Client</label>
        <select id="client" name="client">
          <option value="">all clients</option>
          ${clients.map((c) => html`<option${c === client ? html` selected` : ''}>${c}</option>`)}
        </select>
        <button type="submit">Show</button>
      </form>
      ${rows.length === 0 ? html`<p>No deployments yet.${page.canSubmitPlan ? html` <a href="/plans/new">Submit a plan</a>.` : ' A technical lead submits the first plan.'}</p>` : ''}
      <div class="board">
        ${shown.map((s) => {
          const inState = rows
            .filter((d) => d.state === s)
            .sort((a, b) => a.client.localeCompare(b.client) || a.id.localeCompare(b.id));
          return html`<section class="column" aria-labelledby="col-${s}">
            <h2 id="col-${s}"><span class="state state-${s}">${s}</span> <small>${inState.length}</small></h2>
            <ul>
              ${inState.map((d) => html`<li class="card"><a href="/deployments/${d.id}">${d.id}</a><br /><small>${d.client} · ${d.kind} · ${d.environment}</small><br /><small>updated ${d.updatedAt.slice(0, 16).replace('T', ' ')}</small></li>`)}
            </ul>
          </section>`;
        })}
      </div>`,
    { current: '/' },
  );
}
