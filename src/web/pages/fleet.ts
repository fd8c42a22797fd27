import { html, type Html } from '../html.js';
import { layout, type PageContext } from '../layout.js';
import type { FleetRow } from '../../fleet/rows.js';
import { fleetReport } from '../../fleet/report.js';

/** The fleet operations, newest first. */
export function fleetsPage(page: PageContext, fleets: Omit<FleetRow, 'members'>[]): Html {
  return layout(
    'Fleet operations',
    page,
    html`<h1>Fleet operations</h1>
      ${fleets.length === 0
        ? html`<p class="muted">None yet: <code>mokodeploy fleet upgrade --clients a,b,c --canary 1 --wave 5</code>.</p>`
        : html`<ul id="fleets">
            ${fleets.map((f) => html`<li><a href="/fleets/${encodeURIComponent(f.id)}">${f.id}</a>: ${f.operation}, ${f.state}${f.haltedReason ? ` (${f.haltedReason})` : ''}${f.unverified?.length ? ' (unverified)' : ''}</li>`)}
          </ul>`}`,
  );
}

/** One fleet: each client with its status, wave, job and reason (as the coordinator last wrote them: reload to follow). */
export function fleetPage(page: PageContext, f: FleetRow): Html {
  const r = fleetReport(f);
  const counts = (['done', 'running', 'failed', 'untouched', 'blocked', 'pending'] as const).filter((s) => r.counts[s] > 0);
  return layout(
    `Fleet ${f.id}`,
    page,
    html`<h1>Fleet ${f.operation} <span class="badge" id="fleet-state">${f.state}</span></h1>
      <p>${f.id}, requested by ${f.requestedBy}, started ${f.createdAt}.</p>
      ${f.haltedReason ? html`<p class="error" id="fleet-halted">Halted: ${f.haltedReason}.</p>` : ''}
      ${f.unverified?.length
        ? html`<p class="error" id="fleet-unverified">Unverified (not signed by the store's audit key, or changed since): ${f.unverified.join(', ')}.</p>`
        : ''}
      <ul id="fleet-counts">${counts.map((s) => html`<li>${s}: ${r.clients[s].join(', ')}</li>`)}</ul>
      <table class="stack" id="fleet-members">
        <caption class="sr-only">Clients of the fleet</caption>
        <thead><tr><th scope="col">Client</th><th scope="col">Deployment</th><th scope="col">Wave</th><th scope="col">Status</th><th scope="col">Job</th><th scope="col">Why</th></tr></thead>
        <tbody>
          ${f.members.map(
            (m) => html`<tr>
              <td>${m.client} ${m.clientName ? html`<small>${m.clientName}</small>` : ''}</td>
              <td>${m.deploymentId ? html`<a href="/deployments/${encodeURIComponent(m.deploymentId)}">${m.deploymentId}</a>` : '–'}</td>
              <td>${m.wave === null ? '–' : String(m.wave)}</td>
              <td>${m.status}</td>
              <td>${m.jobId ? html`<a href="/jobs/${m.jobId}">${m.jobId}</a>` : '–'}</td>
              <td>${m.reason ?? ''}</td>
            </tr>`,
          )}
        </tbody>
      </table>`,
  );
}
