import { html, type Html } from '../html.js';
import type { DeploymentRecord } from '../../core/record.js';
import type { JournalRecord } from '../../runner/journal.js';

/** One journal line as a person reads it (the same words the live script uses, in assets/progress.js). */
export function describeJournal(r: JournalRecord): string {
  switch (r.type) {
    case 'run-started':
      return `run ${r.runId} started${r.person ? ` by ${r.person}` : ''}`;
    case 'step-started':
      return `${r.step}: started`;
    case 'step-done':
      return `${r.step}: ${r.skipped ? `skipped (${r.skipped === 'journal' ? 'done by the interrupted run' : 'already in place'})` : 'done'} in ${(r.durationMs / 1000).toFixed(1)} s`;
    case 'run-finished':
      return `run finished in ${(r.durationMs / 1000).toFixed(1)} s`;
    case 'run-failed':
      return `run failed${r.step ? ` at ${r.step}` : ''}: ${r.error}`;
    case 'run-closed':
      return `run ${r.runId} closed: ${r.outcome}${r.note ? ` (${r.note})` : ''}`;
  }
}

/** Runs recorded, and the runner's journal: rendered now, then followed live by server-sent events. */
export function progressSection(
  record: DeploymentRecord,
  journal: JournalRecord[],
  canDeploy: boolean,
  csrf: string,
): Html {
  return html`<section
    aria-labelledby="progress-title"
    class="progress"
    data-progress-url="/api/deployments/${record.id}/progress"
  >
    <h2 id="progress-title">Run progress</h2>
    ${
      canDeploy
        ? html`<form class="inline" method="post" action="/deployments/${record.id}/deploy">
            <input type="hidden" name="_csrf" value="${csrf}" />
            <button type="submit">
              ${record.state === 'deploying' ? 'Resume the deployment run' : 'Deploy now'}
            </button>
            <small class="hint"
              >runs phases 1-3 on ${record.plan.target.host} (as <code>mokodeploy deploy</code>)</small
            >
          </form>`
        : ''
    }
    ${
      record.runs.length === 0
        ? html`<p class="muted">No run recorded.</p>`
        : html`<table>
            <caption class="sr-only">
              Runs
            </caption>
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">By</th>
                <th scope="col">Outcome</th>
                <th scope="col">Duration (s)</th>
                <th scope="col">Downtime (s)</th>
              </tr>
            </thead>
            <tbody>
              ${record.runs.map(
                (r) =>
                  html`<tr>
                    <td>${r.startedAt}</td>
                    <td>${r.by}</td>
                    <td>${r.outcome}</td>
                    <td>${r.durationSeconds ?? ''}</td>
                    <td>${r.downtimeSeconds ?? ''}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
    <h3>
      Journal
      <small class="live" id="live-status" aria-live="polite"
        >${journal.length === 0 ? 'no run journal yet' : ''}</small
      >
    </h3>
    <ol class="journal" id="journal" aria-live="polite">
      ${journal.map((r) => html`<li class="j-${r.type}"><time>${r.at}</time> ${describeJournal(r)}</li>`)}
    </ol>
  </section>`;
}
