import { html, type Html } from '../html.js';
import type { DeploymentRecord } from '../../core/record.js';
import { formError, type FormState } from '../form-fields.js';

/** Policy "Verification Checklist": every recorded run; a manual form for people who may verify. */
export function verificationSection(
  record: DeploymentRecord,
  items: { id: string; label: string }[],
  canRecord: boolean,
  csrf: string,
  state?: FormState,
): Html {
  const labelOf = (id: string) => items.find((i) => i.id === id)?.label ?? id;
  const mine = state?.key === 'verification' ? state : undefined;
  const chosen = (id: string) => mine?.values[`status:${id}`]?.[0] ?? '';
  return html`<section aria-labelledby="verification-title">
    <h2 id="verification-title">Verification</h2>
    ${
      record.verifications.length === 0
        ? html`<p class="muted">No verification recorded.</p>`
        : record.verifications.map(
            (v, n) =>
              html`<h3 class="${v.passed ? '' : 'failed'}" id="verification-${n + 1}">
                  Verification ${n + 1}:
                  ${v.passed ? 'passed' : html`<span class="bad-mark"><span aria-hidden="true">✖</span> failed</span>`}
                  <small>(${v.source}, ${v.by}, ${v.at})</small>
                </h3>
                <table class="stack">
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
                          <th scope="row">${labelOf(r.id)}</th>
                          <td data-label="Status">
                            <span class="status status-${r.status}">${r.status}</span>
                          </td>
                          <td data-label="Observed">${r.observed ?? ''} ${r.detail ?? ''}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>`,
          )
    }
    ${
      canRecord
        ? html`<details ${record.verifications.length === 0 || mine ? 'open' : ''}>
            <summary>Record a manual verification</summary>
            <form
              class="action"
              method="post"
              enctype="multipart/form-data"
              action="/deployments/${record.id}/verification#act-verification"
              id="act-verification"
              aria-labelledby="verify-title"
            >
              <h3 id="verify-title">Record a manual verification</h3>
              ${formError(mine?.error, 'verification-error')}
              <p class="hint">Choose a result for each item you checked; nothing is pre-filled.</p>
              <input type="hidden" name="_csrf" value="${csrf}" />
              <table class="stack">
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
                        <td data-label="Status">
                          <label class="sr-only" for="v-${i.id}">Status of ${i.label}</label
                          ><select id="v-${i.id}" name="status:${i.id}">
                            <option value="">choose…</option>
                            ${['pass', 'fail', 'warn', 'skip'].map((o) => html`<option${chosen(i.id) === o ? html` selected` : ''}>${o}</option>`)}
                          </select>
                        </td>
                        <td data-label="Observed">
                          <label class="sr-only" for="vo-${i.id}">Observed for ${i.label}</label
                          ><input
                            id="vo-${i.id}"
                            name="observed:${i.id}"
                            value="${mine?.values[`observed:${i.id}`]?.[0] ?? ''}"
                          />
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
