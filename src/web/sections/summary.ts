import { html, type Html } from '../html.js';
import type { DeploymentRecord } from '../../core/record.js';
import type { GateReport } from '../../core/gates.js';
import type { Policy } from '../../policy/types.js';
import type { Actor } from '../../core/team.js';
import { gateAction, groupByRole, type GateAction } from '../gate-actions.js';
import { troubleOf } from '../trouble.js';
import { formatWhen } from '../when.js';

type Next = { to: string } & GateReport;

function actionLine(a: GateAction, mine: boolean): Html {
  return html`<li data-gate="${a.gate}">
    ${mine && a.href ? html`<a href="${a.href}">${a.words}</a>` : a.words}
  </li>`;
}

/** The way forward: the open gates as actions, grouped by the role that acts, in the policy's words. */
function nextHtml(record: DeploymentRecord, n: Next, policy: Policy, user: Actor): Html {
  const groups = groupByRole(
    policy,
    n.open.map((g) => gateAction(policy, record, g)),
  );
  const people = record.plan.people as Record<string, string>;
  return html`<div class="next" id="next-${n.to}">
    <h3>
      To <span class="state state-${n.to}">${n.to}</span>:
      ${n.open.length === 0 ? html`<span class="ok">nothing is open</span>` : `${n.open.length} gate${n.open.length === 1 ? '' : 's'} open`}
    </h3>
    ${groups.map((g) => {
      const mine = user.roles.includes(g.role as never);
      return html`<div class="role-group${mine ? ' mine' : ''}" data-role="${g.role}">
        <h4>${g.label} <small>(${people[g.role] ?? 'not named'}${mine ? ', you' : ''})</small></h4>
        <ul>
          ${g.actions.map((a) => actionLine(a, mine))}
        </ul>
      </div>`;
    })}
    ${
      n.notApplicable.length > 0
        ? html`<details class="not-applicable">
            <summary>${n.notApplicable.length} gate(s) not applicable to ${record.environment}</summary>
            <ul>
              ${n.notApplicable.map((g) => html`<li>${gateAction(policy, record, g).words}</li>`)}
            </ul>
          </details>`
        : ''
    }
  </div>`;
}

/** The state, what went wrong last, and for the next state in the normal course what each role must do. */
export function summarySection(record: DeploymentRecord, next: Next[], policy: Policy, user: Actor): Html {
  const trouble = troubleOf(record);
  const forward = next.filter((n) => n.to !== 'cancelled' && n.to !== 'rolled-back');
  const start = record.schedule?.start ?? record.plan.window?.start;
  return html`<section aria-labelledby="summary-title">
    <h2 id="summary-title">State and what is next</h2>
    <p class="state-line">
      <span class="state state-${record.state}" id="deployment-state" data-state="${record.state}"
        >${record.state}</span
      >
      ${trouble ? html`<span class="bad-mark" id="trouble"><span aria-hidden="true">✖</span> ${trouble}</span>` : ''}
      ${record.plan.clientName} · ${record.kind} · ${record.environment} · window
      ${start ? formatWhen(start, record.plan.window?.timezone) : 'not set'} · plan by ${record.author}
    </p>
    ${forward.length === 0 ? html`<p>No further state.</p>` : forward.map((n) => nextHtml(record, n, policy, user))}
  </section>`;
}
