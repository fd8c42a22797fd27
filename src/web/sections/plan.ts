import { stringify } from 'yaml';
import { html, type Html } from '../html.js';
import type { DeploymentRecord } from '../../core/record.js';

/** The plan as recorded (it names secrets, never holds them), with its hash, approval and — for technical leads — a revision form. */
export function planSection(record: DeploymentRecord, canRevise: boolean, csrf: string): Html {
  const approved = record.approval && record.approval.planHash === record.planHash;
  const yaml = stringify(record.plan);
  return html`<section aria-labelledby="plan-title">
    <h2 id="plan-title">Plan</h2>
    <p>
      Plan hash <code>${record.planHash.slice(0, 16)}</code> —
      ${approved ? html`approved by ${record.approval!.stamp.by} at ${record.approval!.stamp.at}` : html`<strong>not approved</strong>`}
      ${record.schedule ? html` · window ${record.schedule.start} – ${record.schedule.end} (client: ${record.schedule.clientApprovedBy})` : ''}
    </p>
    <details>
      <summary>The plan (YAML)</summary>
      <pre class="plan">${yaml}</pre>
    </details>
    ${canRevise ? reviseForm(record.id, yaml, csrf) : ''}
  </section>`;
}

// prettier-ignore
function reviseForm(id: string, yaml: string, csrf: string): Html {
  return html`<details><summary>Revise the plan</summary>
<form class="action" method="post" enctype="multipart/form-data" action="/deployments/${id}/revise">
<input type="hidden" name="_csrf" value="${csrf}">
<p><label for="revise-plan">Plan (YAML); an approved plan must be approved again</label><br>
<textarea id="revise-plan" name="plan" rows="18" cols="80" spellcheck="false">${yaml}</textarea></p>
<p><button type="submit">Revise the plan</button></p>
</form></details>`;
}
