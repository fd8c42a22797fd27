import { stringify } from 'yaml';
import { html, type Html } from '../html.js';
import type { DeploymentRecord } from '../../core/record.js';

/** The plan as recorded (it names secrets, never holds them), with its hash and approval. */
export function planSection(record: DeploymentRecord): Html {
  const approved = record.approval && record.approval.planHash === record.planHash;
  return html`<section aria-labelledby="plan-title">
    <h2 id="plan-title">Plan</h2>
    <p>
      Plan hash <code>${record.planHash.slice(0, 16)}</code> —
      ${approved ? html`approved by ${record.approval!.stamp.by} at ${record.approval!.stamp.at}` : html`<strong>not approved</strong>`}
      ${record.schedule ? html` · window ${record.schedule.start} – ${record.schedule.end} (client: ${record.schedule.clientApprovedBy})` : ''}
    </p>
    <details>
      <summary>The plan (YAML)</summary>
      <pre class="plan">${stringify(record.plan)}</pre>
    </details>
  </section>`;
}
