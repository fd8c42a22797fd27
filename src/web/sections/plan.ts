import { stringify } from 'yaml';
import { html, type Html } from '../html.js';
import type { DeploymentRecord } from '../../core/record.js';
import type { AuditEntry } from '../../audit/entry.js';
import type { FormState } from '../form-fields.js';
import { formError } from '../form-fields.js';
import { planRevisions, yamlDiff } from '../plan-history.js';
import { formatWhen } from '../when.js';

/**
 * The plan as recorded (it names secrets, never holds them), its hash and approval; when it changed since the
 * approval, the difference against the approved plan; every revision; and for technical leads a revision form.
 */
export function planSection(
  record: DeploymentRecord,
  canRevise: boolean,
  csrf: string,
  opts: { audit: readonly AuditEntry[]; formState?: FormState },
): Html {
  const approved = record.approval && record.approval.planHash === record.planHash;
  const yaml = stringify(record.plan);
  const revisions = planRevisions(opts.audit);
  const approvedRev = record.approval
    ? [...revisions].reverse().find((r) => r.planHash === record.approval!.planHash)
    : undefined;
  const tz = record.plan.window?.timezone;
  return html`<section aria-labelledby="plan-title">
    <h2 id="plan-title">Plan</h2>
    <p>
      Plan hash <code>${record.planHash.slice(0, 16)}</code> —
      ${approved ? html`approved by ${record.approval!.stamp.by} at ${record.approval!.stamp.at}` : html`<strong>not approved</strong>`}
      ${record.schedule ? html` · window ${formatWhen(record.schedule.start, tz)} – ${formatWhen(record.schedule.end, tz)} (client: ${record.schedule.clientApprovedBy})` : ''}
    </p>
    ${
      record.approval && !approved && approvedRev
        ? html`<div class="plan-diff" id="plan-diff">
            <h3>Changes since the approved plan</h3>
            <p>
              Approved <code>${approvedRev.planHash.slice(0, 16)}</code> (${approvedRev.by},
              ${approvedRev.at}) → now <code>${record.planHash.slice(0, 16)}</code>:
            </p>
            ${yamlDiff(approvedRev.yaml, yaml, 'approved', 'current')}
          </div>`
        : ''
    }
    <details>
      <summary>The plan (YAML)</summary>
      <pre class="plan">${yaml}</pre>
    </details>
    ${
      revisions.length > 1
        ? html`<details id="plan-history">
            <summary>Plan history: ${revisions.length} versions</summary>
            <ol>
              ${revisions.map(
                (r, i) =>
                  html`<li>
                    <code>${r.planHash.slice(0, 16)}</code> ${r.action} by ${r.by} at ${r.at}
                    ${r.planHash === record.approval?.planHash ? html` <strong>(approved)</strong>` : ''}
                    ${i > 0 ? yamlDiff(revisions[i - 1]!.yaml, r.yaml, `version ${i}`, `version ${i + 1}`) : ''}
                  </li>`,
              )}
            </ol>
          </details>`
        : ''
    }
    ${canRevise ? reviseForm(record.id, opts.formState?.key === 'revise' ? (opts.formState.values.plan?.[0] ?? yaml) : yaml, csrf, opts.formState) : ''}
  </section>`;
}

// prettier-ignore
function reviseForm(id: string, yaml: string, csrf: string, state?: FormState): Html {
  const mine = state?.key === 'revise';
  return html`<details${mine ? html` open` : ''}><summary>Revise the plan</summary>
<form class="action" id="act-revise" method="post" enctype="multipart/form-data" action="/deployments/${id}/revise#act-revise">
${formError(mine ? state.error : undefined, 'revise-error')}
<input type="hidden" name="_csrf" value="${csrf}">
<p><label for="revise-plan">Plan (YAML); an approved plan must be approved again</label><br>
<textarea id="revise-plan" name="plan" rows="18" cols="80" spellcheck="false">${yaml}</textarea></p>
<p><button type="submit">Revise the plan</button></p>
</form></details>`;
}
