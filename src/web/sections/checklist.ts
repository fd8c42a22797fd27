import { html, type Html } from '../html.js';
import type { DeploymentRecord } from '../../core/record.js';
import type { Actor } from '../../core/team.js';
import type { checklistOf } from '../../server/deployment-views.js';
import { evidenceList } from '../evidence-view.js';
import { evidenceFields, formError, type FormState } from '../form-fields.js';

const editable = ['draft', 'submitted', 'approved', 'ready', 'scheduled', 'rolled-back'];

/** Policy "Deployment Checklist": each item, who ticks it, its evidence; a tick form for the item's role only. */
export function checklistSection(
  record: DeploymentRecord,
  items: ReturnType<typeof checklistOf>,
  user: Actor,
  csrf: string,
  state?: FormState,
): Html {
  const open = editable.includes(record.state);
  const mayTick = (role: string, auto?: string) =>
    open && !auto?.match(/^(approval|validation)$/) && user.roles.includes(role as never);
  return html`<section aria-labelledby="checklist-title">
    <h2 id="checklist-title">Checklist</h2>
    <p>
      ${items.filter((i) => i.done).length} of ${items.length}
      done${open ? '' : ' — the pre-deployment checklist is closed'}.
    </p>
    <table class="checklist stack">
      <caption class="sr-only">
        Pre-deployment checklist items
      </caption>
      <thead>
        <tr>
          <th scope="col">Done</th>
          <th scope="col">Item</th>
          <th scope="col">Role</th>
          <th scope="col">By</th>
          <th scope="col">Evidence</th>
          <th scope="col">Action</th>
        </tr>
      </thead>
      <tbody>
        ${items.map(
          (i) =>
            html`<tr id="item-${i.id}" data-done="${String(i.done)}">
              <td data-label="Done">
                ${i.done ? html`<span class="ok">✔<span class="sr-only"> done</span></span>` : html`<span class="muted">○<span class="sr-only"> not done</span></span>`}
              </td>
              <th scope="row">
                ${i.label}<br /><small
                  ><code>${i.id}</code>${i.auto ? html` · recorded by ${i.auto}` : ''}</small
                >
              </th>
              <td data-label="Role">${i.role}</td>
              <td data-label="By">${i.by ?? ''}${i.at ? html`<br /><small>${i.at}</small>` : ''}</td>
              <td data-label="Evidence">${evidenceList(i.evidence)}</td>
              <td data-label="Action">
                ${
                  mayTick(i.role, i.auto)
                    ? html`<form
                        class="tick"
                        method="post"
                        enctype="multipart/form-data"
                        action="/deployments/${record.id}/checklist/${i.id}#item-${i.id}"
                        aria-label="Tick ${i.label}"
                      >
                        ${formError(state?.key === `tick:${i.id}` ? state.error : undefined, `tick-${i.id}-error`)}
                        <input type="hidden" name="_csrf" value="${csrf}" />
                        ${evidenceFields(`tick-${i.id}`, state?.key === `tick:${i.id}` ? state.values : {})}
                        <p>
                          <label for="tick-${i.id}-note">Note</label>
                          <input
                            id="tick-${i.id}-note"
                            name="note"
                            value="${state?.key === `tick:${i.id}` ? (state.values.note?.[0] ?? '') : ''}"
                          />
                        </p>
                        <p><button type="submit">${i.done ? 'Add evidence' : 'Tick'}</button></p>
                      </form>`
                    : ''
                }
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}
