import { html, type Html } from '../html.js';
import { layout, type PageContext } from '../layout.js';
import { states, type DeploymentRecord } from '../../core/record.js';
import type { Policy } from '../../policy/types.js';
import { evaluateGates } from '../../core/gates.js';
import { nextStates } from '../../core/transitions.js';
import { matchesBoard, type BoardFilter } from '../board-filter.js';
import { windowStartOf } from '../waiting.js';
import { formatWhen } from '../when.js';
import { troubleOf } from '../trouble.js';

const environments = ['production', 'staging', 'internal', 'poc'];
const kinds = ['new', 'upgrade', 'customization', 'data-migration', 'disaster-recovery'];

function select(name: string, label: string, options: string[], value?: string): Html {
  return html`<p>
    <label for="f-${name}">${label}</label>
    <select id="f-${name}" name="${name}">
      <option value="">any</option>
      ${options.map((o) => html`<option${o === value ? html` selected` : ''}>${o}</option>`)}
    </select>
  </p>`;
}

/** Gates open on the way to the next state (not cancel or rollback): what holds the deployment up. */
function openGateCount(r: DeploymentRecord, policy: Policy, now: Date): number {
  const to = nextStates(r.state).find((s) => s !== 'cancelled' && s !== 'rolled-back');
  return to ? evaluateGates(r, to, { policy, now }).open.length : 0;
}

function card(r: DeploymentRecord, policy: Policy, now: Date): Html {
  const trouble = troubleOf(r);
  const gates = openGateCount(r, policy, now);
  const start = windowStartOf(r);
  return html`<li class="card${trouble ? ' card-bad' : ''}" data-id="${r.id}">
    <a href="/deployments/${r.id}">${r.id}</a>
    ${trouble ? html`<span class="bad-mark"><span aria-hidden="true">✖</span> ${trouble}</span>` : ''}
    <br /><small>${r.plan.clientName} · ${r.kind} · ${r.environment}</small>
    <dl class="card-facts">
      <dt>Window</dt>
      <dd>${start ? formatWhen(start, r.plan.window?.timezone) : 'not set'}</dd>
      <dt>Owner</dt>
      <dd>${r.plan.people['technical-lead']}</dd>
      <dt>Open gates</dt>
      <dd class="gate-count">${gates}</dd>
    </dl>
  </li>`;
}

/** Every deployment by state (columns), filtered and searched; each card says window, owner, open gates, trouble. */
export function boardPage(
  page: PageContext,
  all: readonly DeploymentRecord[],
  filter: BoardFilter,
  ctx: { policy: Policy; now: Date },
): Html {
  const rows = all.filter((r) => matchesBoard(r, filter));
  const clients = [...new Set(all.map((d) => d.client))].sort();
  const persons = [...new Set(all.flatMap((d) => Object.values(d.plan.people)))].sort();
  const shown = states.filter(
    (s) => rows.some((d) => d.state === s) || !['draft', 'rolled-back', 'cancelled', 'closed'].includes(s),
  );
  const filtered = Object.keys(filter).length > 0;
  return layout(
    'Deployments',
    page,
    html`<h1>Deployments</h1>
      <form class="filter" method="get" action="/board" role="search" aria-label="Filter deployments">
        <p>
          <label for="f-q">Search</label>
          <input id="f-q" name="q" type="search" value="${filter.q ?? ''}" />
        </p>
        ${select('state', 'State', [...states], filter.state)}
        ${select('environment', 'Environment', environments, filter.environment)}
        ${select('kind', 'Kind', kinds, filter.kind)} ${select('client', 'Client', clients, filter.client)}
        ${select('person', 'Person', persons, filter.person)}
        <p>
          <label for="f-from">Window from</label>
          <input id="f-from" name="from" type="date" value="${filter.from ?? ''}" />
        </p>
        <p>
          <label for="f-to">Window to</label>
          <input id="f-to" name="to" type="date" value="${filter.to ?? ''}" />
        </p>
        <p class="filter-buttons">
          <button type="submit">Show</button>${filtered ? html` <a href="/board">Clear</a>` : ''}
        </p>
      </form>
      <p id="board-count">${rows.length} of ${all.length} deployments${filtered ? ' match' : ''}.</p>
      ${rows.length === 0 && all.length === 0 ? html`<p>No deployments yet.${page.canSubmitPlan ? html` <a href="/plans/new">Submit a plan</a>.` : ' A technical lead submits the first plan.'}</p>` : ''}
      <div class="board">
        ${shown.map((s) => {
          const inState = rows
            .filter((d) => d.state === s)
            .sort(
              (a, b) =>
                (windowStartOf(a) ?? '9999').localeCompare(windowStartOf(b) ?? '9999') ||
                a.id.localeCompare(b.id),
            );
          return html`<section class="column" aria-labelledby="col-${s}">
            <h2 id="col-${s}"><span class="state state-${s}">${s}</span> <small>${inState.length}</small></h2>
            <ul>
              ${inState.map((d) => card(d, ctx.policy, ctx.now))}
            </ul>
          </section>`;
        })}
      </div>`,
    { current: '/board' },
  );
}
