import { html, type Html } from '../html.js';
import type { DeploymentRecord } from '../../core/record.js';

/** Policy "Verification Checklist": every recorded run; a manual form for people who may verify. */
export function verificationSection(
  record: DeploymentRecord,
  items: { id: string; label: string }[],
  canRecord: boolean,
  csrf: string,
): Html {
  return html`<section aria-labelledby="verification-title">
    <h2 id="verification-title">Verification</h2>
    ${
      record.verifications.length === 0
        ? html`<p class="muted">No verification recorded.</p>`
        : record.verifications.map(
            (v, n) =>
              html`<h3>
                  Verification ${n + 1}: ${v.passed ? 'passed' : 'failed'}
                  <small>(${v.source}, ${v.by}, ${v.at})</small>
                </h3>
                <table>
                  <caption class="sr-only">
                    Verification ${n + 1} results
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Item</th>
                      <th scope="col">Status</th>
                      <th scope="col">Observed</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${v.results.map(
                      (r) =>
                        html`<tr>
                          <th scope="row"><code>${r.id}</code></th>
                          <td><span class="status status-${r.status}">${r.status}</span></td>
                          <td>${r.observed ?? ''} ${r.detail ?? ''}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>`,
          )
    }
    ${
      canRecord
        ? html`<details ${record.verifications.length === 0 ? 'open' : ''}>
            <summary>Record a manual verification</summary>
            <form
              class="action"
              method="post"
              enctype="multipart/form-data"
              action="/deployments/${record.id}/verification"
              aria-labelledby="verify-title"
            >
              <h3 id="verify-title">Record a manual verification</h3>
              <input type="hidden" name="_csrf" value="${csrf}" />
              <table>
                <caption class="sr-only">
                  Verification items
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Item</th>
                    <th scope="col">Status</th>
                    <th scope="col">Observed</th>
                  </tr>
                </thead>
                <tbody>
                  ${items.map(
                    (i) =>
                      html`<tr>
                        <th scope="row">${i.label}</th>
                        <td>
                          <label class="sr-only" for="v-${i.id}">Status of ${i.label}</label
                          ><select id="v-${i.id}" name="status:${i.id}">
                            <option>pass</option>
                            <option>fail</option>
                            <option>warn</option>
                            <option>skip</option>
                          </select>
                        </td>
                        <td>
                          <label class="sr-only" for="vo-${i.id}">Observed for ${i.label}</label
                          ><input id="vo-${i.id}" name="observed:${i.id}" />
                        </td>
                      </tr>`,
                  )}
                </tbody>
              </table>
              <p><button type="submit">Record verification</button></p>
            </form>
          </details>`
        : ''
    }
  </section>`;
}
