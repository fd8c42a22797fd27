import { html, type Html } from '../html.js';
import type { DeploymentRecord } from '../../core/record.js';

/** Policy "Environment Validation": the newest report's findings (recorded by `mokodeploy validate`). */
export function validationSection(record: DeploymentRecord, canValidate: boolean, csrf: string): Html {
  const latest = record.validations.at(-1);
  return html`<section aria-labelledby="validation-title">
    <h2 id="validation-title">Environment validation</h2>
    ${
      canValidate
        ? html`<form class="inline" method="post" action="/deployments/${record.id}/validate">
            <input type="hidden" name="_csrf" value="${csrf}" />
            <button type="submit">Validate the target now</button>
            <small class="hint"
              >runs the policy's checks on ${record.plan.target.host} and records the report</small
            >
          </form>`
        : ''
    }
    ${
      !latest
        ? html`<p class="muted">
            No validation recorded yet (<code>mokodeploy validate ${record.id}</code> runs it on the target).
          </p>`
        : html`<p>
              Newest of ${record.validations.length}: ${latest.finishedAt} on ${latest.target}, worst
              <span class="status status-${latest.worst}">${latest.worst}</span>.
            </p>
            <table class="stack">
              <caption class="sr-only">
                Validation findings
              </caption>
              <thead>
                <tr>
                  <th scope="col">Check</th>
                  <th scope="col">Status</th>
                  <th scope="col">Observed</th>
                  <th scope="col">Required</th>
                  <th scope="col">Policy</th>
                </tr>
              </thead>
              <tbody>
                ${latest.findings.map(
                  (f) =>
                    html`<tr>
                      <th scope="row">${f.title}</th>
                      <td data-label="Status"><span class="status status-${f.status}">${f.status}</span></td>
                      <td data-label="Observed">${f.observed}</td>
                      <td data-label="Required">${f.threshold}</td>
                      <td data-label="Policy"><code>${f.policyRef}</code></td>
                    </tr>`,
                )}
              </tbody>
            </table>`
    }
  </section>`;
}
