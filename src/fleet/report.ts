import { redact } from '../core/secret.js';
import { html, type Html } from '../web/html.js';
import type { FleetRow, MemberStatus } from './rows.js';

const order: MemberStatus[] = ['done', 'running', 'failed', 'untouched', 'blocked', 'pending'];

export interface FleetReport {
  fleet: string;
  operation: string;
  state: FleetRow['state'];
  requestedBy: string;
  startedAt: string;
  finishedAt: string | null;
  haltedReason: string | null;
  shape: Record<string, unknown>;
  counts: Record<MemberStatus, number>;
  clients: Record<MemberStatus, string[]>;
  members: FleetRow['members'];
  /** Rows not signed by the store's audit key, or changed since (read with the key; absent when read without). */
  unverified?: string[];
}

/** Pure: the fleet as a report — which clients are done, running, failed, untouched and blocked, and why. */
export function fleetReport(f: FleetRow): FleetReport {
  const clients = Object.fromEntries(order.map((s) => [s, f.members.filter((m) => m.status === s).map((m) => m.client)])) as Record<MemberStatus, string[]>;
  return {
    fleet: f.id,
    operation: f.operation,
    state: f.state,
    requestedBy: f.requestedBy,
    startedAt: f.createdAt,
    finishedAt: f.finishedAt,
    // the reasons are the jobs' error lines, written by workers that redact only what they loaded: again here
    haltedReason: f.haltedReason === null ? null : redact(f.haltedReason),
    shape: f.options,
    counts: Object.fromEntries(order.map((s) => [s, clients[s].length])) as Record<MemberStatus, number>,
    clients,
    members: f.members.map((m) => (m.reason ? { ...m, reason: redact(m.reason) } : m)),
    ...(f.unverified ? { unverified: f.unverified } : {}),
  };
}

/** One line per status for a terminal. */
export function fleetSummary(r: FleetReport): string {
  const head = `${r.fleet}: ${r.operation} ${r.state}${r.haltedReason ? ` (${r.haltedReason})` : ''}`;
  return [
    head,
    ...order.filter((s) => r.counts[s] > 0).map((s) => `  ${s}: ${r.clients[s].join(', ')}`),
    ...(r.unverified?.length ? [`  UNVERIFIED (not signed by the store's audit key, or changed since): ${r.unverified.join(', ')}`] : []),
  ].join('\n');
}

/** The report as a standalone HTML page: every value escaped by the `html` template. */
export function fleetReportHtml(r: FleetReport): Html {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>Fleet ${r.operation} ${r.fleet}</title>
        <style>
          body { font: 15px/1.4 system-ui, sans-serif; margin: 2rem; }
          table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: .3rem .6rem; text-align: left; }
          .failed { color: #a00; } .done { color: #070; } .blocked, .untouched { color: #666; }
        </style>
      </head>
      <body>
        <h1>Fleet ${r.operation}: ${r.state}</h1>
        <p>${r.fleet}, requested by ${r.requestedBy}, started ${r.startedAt}${r.finishedAt ? `, finished ${r.finishedAt}` : ''}.</p>
        ${r.haltedReason ? html`<p class="failed" id="halted">Halted: ${r.haltedReason}.</p>` : ''}
        ${r.unverified?.length
          ? html`<p class="failed" id="unverified">Unverified (not signed by the store's audit key, or changed since): ${r.unverified.join(', ')}.</p>`
          : ''}
        <ul id="counts">
          ${order.filter((s) => r.counts[s] > 0).map((s) => html`<li class="${s}">${s}: ${r.counts[s]} (${r.clients[s].join(', ')})</li>`)}
        </ul>
        <table id="members">
          <thead><tr><th>Client</th><th>Name</th><th>Deployment</th><th>Wave</th><th>Status</th><th>Job</th><th>Why</th></tr></thead>
          <tbody>
            ${r.members.map(
              (m) => html`<tr class="${m.status}">
                <td>${m.client}</td><td>${m.clientName ?? ''}</td><td>${m.deploymentId ?? '–'}</td>
                <td>${m.wave === null ? '–' : m.wave === 0 && r.shape.canary ? 'canary' : String(m.wave)}</td>
                <td>${m.status}</td><td>${m.jobId ?? '–'}</td><td>${m.reason ?? ''}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </body>
    </html>`;
}
