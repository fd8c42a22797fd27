import { html, type Html } from '../html.js';
import type { AuditEntry } from '../../audit/entry.js';

/** Audit entries as a table: who, as which role, did what, when; refusals stand out. */
export function auditTable(entries: readonly AuditEntry[], caption: string, withDeployment = false): Html {
  return html`<table class="audit stack">
    <caption>
      ${caption}
    </caption>
    <thead>
      <tr>
        <th scope="col">#</th>
        <th scope="col">When (UTC)</th>
        ${withDeployment ? html`<th scope="col">Deployment</th>` : ''}
        <th scope="col">Who</th>
        <th scope="col">Role</th>
        <th scope="col">Action</th>
        <th scope="col">Summary</th>
      </tr>
    </thead>
    <tbody>
      ${entries.map(
        (e) =>
          html`<tr class="${e.action.startsWith('refused:') ? 'refused' : ''}">
            <td data-label="#">${e.seq}</td>
            <td data-label="When"><time datetime="${e.at}">${e.at.replace('T', ' ').slice(0, 19)}</time></td>
            ${withDeployment ? html`<td data-label="Deployment">${e.deploymentId ? html`<a href="/deployments/${e.deploymentId}">${e.deploymentId}</a>` : '–'}</td>` : ''}
            <td data-label="Who">${e.actor}</td>
            <td data-label="Role">${e.role}</td>
            <td data-label="Action"><code>${e.action}</code></td>
            <td data-label="Summary">${e.summary}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function auditTrailSection(deploymentId: string, entries: readonly AuditEntry[]): Html {
  return html`<section aria-labelledby="audit-title">
    <h2 id="audit-title">Audit trail</h2>
    ${auditTable(entries, `${entries.length} entries for ${deploymentId}`)}
    <p><a href="/api/audit/export?deployment=${deploymentId}">Export as JSON lines</a></p>
  </section>`;
}
