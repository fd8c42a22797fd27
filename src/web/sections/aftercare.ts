import { html, type Html } from '../html.js';
import type { DeploymentRecord } from '../../core/record.js';
import type { Policy } from '../../policy/types.js';
import { evidenceList } from '../evidence-view.js';

const dayMs = 86_400_000;

/** Policy "Support Transition": days left, and one cell per day of the first week (check-in or not). */
function hypercare(r: DeploymentRecord, policy: Policy, now: Date): Html {
  const s = r.support;
  if (!s) return html`<p class="muted" id="hypercare">Hypercare starts at go-live.</p>`;
  const start = Date.parse(s.hypercareStart);
  const passed = Math.floor((now.getTime() - start) / dayMs);
  const left = Math.max(0, Math.ceil((start + s.hypercareDays * dayMs - now.getTime()) / dayMs));
  const days = policy.support.dailyCheckInDays;
  const cells = Array.from({ length: days }, (_, d) => {
    const ins = s.checkIns.filter((c) => Math.floor((Date.parse(c.at) - start) / dayMs) === d);
    const status = ins.length > 0 ? 'done' : d < passed ? 'missed' : d === passed ? 'today' : 'later';
    const words = {
      done: `${ins.length} check-in${ins.length === 1 ? '' : 's'}`,
      missed: 'missed',
      today: 'due today',
      later: 'to come',
    }[status];
    return html`<li class="day day-${status}" data-day="${d + 1}" data-status="${status}">
      <strong>Day ${d + 1}</strong> <small>${new Date(start + d * dayMs).toISOString().slice(5, 10)}</small
      ><br />${words}
    </li>`;
  });
  return html`<div id="hypercare">
    <p>
      Hypercare: <strong id="hypercare-left">${left} day${left === 1 ? '' : 's'} left</strong> of
      ${s.hypercareDays} (from ${s.hypercareStart.slice(0, 10)}); ${s.checkIns.length}
      check-in${s.checkIns.length === 1 ? '' : 's'} recorded.
    </p>
    <ol class="day-grid" aria-label="Daily check-ins of the first ${days} days">
      ${cells}
    </ol>
    ${
      s.feedback.length > 0
        ? html`<p>Client feedback:</p>
            <ul>
              ${s.feedback.map((f) => html`<li>${f}</li>`)}
            </ul>`
        : ''
    }
  </div>`;
}

function row(label: string, value: Html | string, id: string): Html {
  return html`<div class="fact" id="${id}">
    <dt>${label}</dt>
    <dd>${value}</dd>
  </div>`;
}

/** After go-live: hypercare, training, handoff, satisfaction, lessons, rollback and its analysis — as recorded. */
export function aftercareSection(r: DeploymentRecord, policy: Policy, now: Date): Html {
  const sessions = policy.training.sessions;
  const rollback = r.rollbacks.at(-1);
  const trigger = (id: string) => policy.rollback.triggers.find((t) => t.id === id)?.label ?? id;
  return html`<section aria-labelledby="aftercare-title">
    <h2 id="aftercare-title">After go-live</h2>
    ${hypercare(r, policy, now)}
    <dl class="facts">
      ${row(
        'Training',
        r.trainings.length === 0
          ? 'none planned'
          : html`<ul>
              ${r.trainings.map((t) => html`<li>${sessions.find((s) => s.id === t.session)?.label ?? t.session}: ${t.heldAt ? `held ${t.heldAt.slice(0, 16).replace('T', ' ')}, ${t.durationHours} h, ${t.attendees.join(', ')}` : `planned ${t.plannedAt.slice(0, 16).replace('T', ' ')}`}</li>`)}
            </ul>`,
        'fact-training',
      )}
      ${row('Handoff pack', r.handoff ? html`delivered by ${r.handoff.by} at ${r.handoff.deliveredAt} ${evidenceList(r.handoff.evidence)}` : 'not delivered', 'fact-handoff')}
      ${row('Client satisfaction', r.satisfaction ? `${r.satisfaction.score} of ${policy.metrics.satisfactionScale.max} (${r.satisfaction.by}, ${r.satisfaction.at.slice(0, 10)})${r.satisfaction.comment ? `: ${r.satisfaction.comment}` : ''}` : 'not recorded', 'fact-satisfaction')}
      ${row(
        'Lessons learned',
        r.lessons.length === 0
          ? 'none documented'
          : html`<ul>
              ${r.lessons.map((l) => html`<li>${l.text} <small>(${l.by}${l.tags.length ? `; ${l.tags.join(', ')}` : ''})</small></li>`)}
            </ul>`,
        'fact-lessons',
      )}
      ${row(
        'Rollback',
        rollback
          ? html`${trigger(rollback.trigger)} at ${rollback.at} by ${rollback.by}: ${rollback.reason}
              <br />Root cause: ${rollback.rootCause ?? html`<strong>not documented yet</strong>`}
              ${rollback.remediation ? html`<br />Remediation: ${rollback.remediation}` : ''}`
          : 'none',
        'fact-rollback',
      )}
    </dl>
  </section>`;
}
