import { html, type Html } from '../html.js';
import type { DeploymentRecord } from '../../core/record.js';
import type { ActionForm } from '../action-forms.js';
import { evidenceList } from '../evidence-view.js';

/** Policy "Deployment Sign-Off": the three sign-offs, and the forms only for the roles that give them. */
export function signoffSection(
  record: DeploymentRecord,
  kinds: { id: string; label: string; role: string }[],
  actions: ActionForm[],
  render: (a: ActionForm) => Html,
): Html {
  return html`<section aria-labelledby="signoff-title">
    <h2 id="signoff-title">Sign-off</h2>
    <ul class="signoffs">
      ${kinds.map((k) => {
        const given = record.signoffs.find((s) => s.kind === k.id);
        return html`<li id="signoff-${k.id}">
          ${k.label} <small>(${k.role})</small>:
          ${
            given
              ? html`<span class="ok">given by ${given.stamp.by} at ${given.stamp.at}</span
                  >${given.signatory ? html` — signatory ${given.signatory}` : ''}
                  ${evidenceList(given.evidence)}`
              : html`<span class="muted">not given</span>`
          }
        </li>`;
      })}
    </ul>
    <div class="actions">${actions.map(render)}</div>
  </section>`;
}
