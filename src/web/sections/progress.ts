import { html, type Html } from '../html.js';
import type { DeploymentRecord } from '../../core/record.js';
import type { JournalRecord } from '../../runner/journal.js';
import { runView, stepsTotal, type RunView } from '../run-view.js';
import { formatDuration } from '../when.js';
import { formError, type FormState } from '../form-fields.js';

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

/** Step N of M, a progress bar, elapsed and an estimate; the live script keeps them moving (data attributes). */
function runSummary(v: RunView, now: Date): Html {
  const end = v.endedAt ? Date.parse(v.endedAt) : now.getTime();
  const elapsed = Math.max(0, (end - Date.parse(v.startedAt)) / 1000);
  // the step under way (or the one that failed) is step done + 1
  const under = (v.outcome === 'running' && v.current) || (v.outcome === 'failed' && v.failedStep);
  const n = Math.min(v.done + (under ? 1 : 0), v.total ?? Infinity);
  const estimate =
    v.previousSeconds !== undefined
      ? v.previousSeconds
      : v.total && v.done > 0
        ? (elapsed / v.done) * v.total
        : undefined;
  return html`<div
    class="run-summary run-${v.outcome}"
    id="run-summary"
    data-started="${v.startedAt}"
    data-total="${v.total ?? ''}"
    data-done="${v.done}"
    data-outcome="${v.outcome}"
    data-previous="${v.previousSeconds ?? ''}"
  >
    <p>
      <strong id="run-step"
        >${v.outcome === 'finished' ? 'Finished' : v.outcome === 'failed' ? `Failed at step ${n} of ${v.total ?? '?'}` : `Step ${n} of ${v.total ?? '?'}`}</strong
      >
      <span id="run-current"
        >${v.current && v.outcome === 'running' ? `: ${v.current}` : v.failedStep ? `: ${v.failedStep}` : ''}</span
      >
    </p>
    ${
      v.total
        ? html`<progress id="run-progress" max="${v.total}" value="${v.done}" aria-label="Steps done">
            ${v.done} of ${v.total}
          </progress>`
        : ''
    }
    <p class="run-times">
      Elapsed <span id="run-elapsed">${formatDuration(elapsed)}</span>
      ${estimate !== undefined ? html` · estimate <span id="run-estimate">${formatDuration(estimate)}</span> ${v.previousSeconds !== undefined ? '(the last successful run)' : '(at the pace so far)'}` : ''}
    </p>
  </div>`;
}

/** Where a run that starts while the page is open shows up (the live script fills and shows it). */
function emptySummary(total: number | undefined): Html {
  return html`<div
    class="run-summary"
    id="run-summary"
    data-started=""
    data-total="${total ?? ''}"
    data-done="0"
    data-outcome="running"
    hidden
  >
    <p><strong id="run-step"></strong> <span id="run-current"></span></p>
    ${total ? html`<progress id="run-progress" max="${total}" value="0" aria-label="Steps done">0 of ${total}</progress>` : ''}
    <p class="run-times">Elapsed <span id="run-elapsed"></span></p>
  </div>`;
}

export interface ProgressOptions {
  canDeploy: boolean;
  csrf: string;
  /** Why "Deploy now" cannot work yet (gates open). */
  blocked?: string;
  now: Date;
  /** The last lines of the failed run's output (redacted): from its journal, else the background run's log. */
  output: string[];
  /** "Deploy now" refused (e.g. outside the approved window): said at the button. */
  state?: FormState;
}

/** Runs recorded, and the runner's journal: rendered now, then followed live by server-sent events. */
export function progressSection(
  record: DeploymentRecord,
  journal: JournalRecord[],
  o: ProgressOptions,
): Html {
  const view = runView(record, journal);
  return html`<section
    aria-labelledby="progress-title"
    class="progress"
    data-progress-url="/api/deployments/${record.id}/progress"
  >
    <h2 id="progress-title">Run progress</h2>
    ${
      o.canDeploy
        ? html`${formError(o.state?.key === 'deploy' ? o.state.error : undefined, 'deploy-error')}
            <form class="inline" method="post" action="/deployments/${record.id}/deploy" id="act-deploy">
              <input type="hidden" name="_csrf" value="${o.csrf}" />
              <button type="submit" ${o.blocked ? html` disabled aria-describedby="deploy-why"` : ''}>
                ${record.state === 'deploying' ? 'Resume the deployment run' : 'Deploy now'}
              </button>
              ${o.blocked ? html`<small class="why" id="deploy-why">Not yet: ${o.blocked}</small>` : html`<small class="hint">runs phases 1-3 on ${record.plan.target.host} (as <code>mokodeploy deploy</code>)</small>`}
            </form>
            <form class="inline" method="post" action="/deployments/${record.id}/enqueue" id="act-enqueue">
              <input type="hidden" name="_csrf" value="${o.csrf}" />
              <button type="submit" ${o.blocked ? html` disabled aria-describedby="deploy-why"` : ''}>Queue for a worker</button>
              <small class="hint">a <code>mokodeploy worker</code> on any machine runs it; its progress is on the job's page</small>
            </form>`
        : ''
    }
    ${view ? runSummary(view, o.now) : emptySummary(stepsTotal(record, {}))}
    ${
      view?.outcome === 'failed'
        ? html`<div class="error" id="run-failure">
            <p>The run failed at <strong>${view.failedStep ?? 'a step'}</strong>: ${view.error}</p>
            ${
              o.output.length > 0
                ? html`<p>Last lines of its output (secrets redacted):</p>
                    <pre class="output" id="run-output">${o.output.join('\n')}</pre>`
                : ''
            }
          </div>`
        : ''
    }
    ${
      record.runs.length === 0
        ? html`<p class="muted">No run recorded.</p>`
        : html`<table class="stack">
            <caption class="sr-only">
              Runs
            </caption>
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">By</th>
                <th scope="col">Outcome</th>
                <th scope="col">Duration</th>
                <th scope="col">Downtime</th>
              </tr>
            </thead>
            <tbody>
              ${record.runs.map(
                (r) =>
                  html`<tr class="${r.outcome === 'failed' ? 'refused' : ''}">
                    <td data-label="Started">${r.startedAt}</td>
                    <td data-label="By">${r.by}</td>
                    <td data-label="Outcome">${r.outcome}</td>
                    <td data-label="Duration">
                      ${r.durationSeconds !== undefined ? formatDuration(r.durationSeconds) : ''}
                    </td>
                    <td data-label="Downtime">
                      ${r.downtimeSeconds !== undefined ? formatDuration(r.downtimeSeconds) : ''}
                    </td>
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
    <ol class="journal" id="journal" aria-live="polite" tabindex="0" aria-label="Run journal">
      ${journal.map((r) => html`<li class="j-${r.type}"><time>${r.at}</time> ${describeJournal(r)}</li>`)}
    </ol>
  </section>`;
}
