import { html, type Html } from '../html.js';
import type { DeploymentRecord } from '../../core/record.js';
import type { GateReport } from '../../core/gates.js';

/** The state and, for each next state, the gates still open (policy section, fix) and those not applicable to this environment — reported, never hidden. */
export function summarySection(record: DeploymentRecord, next: ({ to: string } & GateReport)[]): Html {
  return html`<section aria-labelledby="summary-title">
    <h2 id="summary-title">State</h2>
    <p class="state-line">
      <span class="state state-${record.state}" id="deployment-state">${record.state}</span> ${record.client}
      · ${record.kind} · ${record.environment} · policy ${record.policyVersion} · plan by ${record.author}
    </p>
    ${
      next.length === 0
        ? html`<p>No further state.</p>`
        : html`<ul class="gates">
            ${next.map(
              (n) =>
                html`<li>
                  <strong>→ ${n.to}</strong>:
                  ${
                    n.open.length === 0
                      ? html`<span class="ok">no gate open</span>`
                      : html`${n.open.length} gate(s) open
                          <ul>
                            ${n.open.map((g) => html`<li><code>${g.gate}</code> ${g.message} <small>(${g.section})</small><br /><span class="fix">fix: ${g.fix}</span></li>`)}
                          </ul>`
                  }
                  ${
                    n.notApplicable.length > 0
                      ? html`<details class="not-applicable">
                          <summary>
                            ${n.notApplicable.length} gate(s) not applicable to ${record.environment}
                          </summary>
                          <ul>
                            ${n.notApplicable.map((g) => html`<li><code>${g.gate}</code> ${g.message} <small>(${g.section})</small></li>`)}
                          </ul>
                        </details>`
                      : ''
                  }
                </li>`,
            )}
          </ul>`
    }
  </section>`;
}
