import { html, type Html } from '../html.js';
import { layout, type PageContext } from '../layout.js';
import type { JobEvent, JobRow } from '../../queue/jobs.js';
import { describeJob } from '../../queue/job.js';

/** One line for a progress record (the same words on the server and in /assets/job-progress.js). */
export function describeEvent(r: Record<string, unknown>): string {
  const s = (k: string) => String(r[k] ?? '');
  switch (r.type) {
    case 'job-queued':
      return `queued by ${s('by')} (${s('via')})`;
    case 'job-started':
      return `started on ${s('host')} (pid ${s('pid')}), attempt ${s('attempt')}`;
    case 'job-worker-died':
      return `worker ${s('worker')} died (pid ${s('pid')} on ${s('host')}): queued again`;
    case 'job-finished':
      return `finished: ${s('state')} (exit ${s('exitCode')})`;
    case 'run-started':
      return `run ${s('runId')} started${r.resumes ? `, resuming ${s('resumes')}` : ''}`;
    case 'step-started':
      return `${s('step')}: started`;
    case 'step-done':
      return `${s('step')}: ${r.skipped === 'journal' ? 'skipped (done by the interrupted run)' : r.skipped ? 'already in place' : 'done'}`;
    case 'run-finished':
      return 'run finished';
    case 'run-failed':
      return `run failed${r.step ? ` at ${s('step')}` : ''}: ${s('error')}`;
    case 'run-closed':
      return `run closed: ${s('outcome')}`;
    default:
      return s('type');
  }
}

/** A queued job: what it runs, where, its state, and its progress (followed live until it has run). */
export function jobPage(page: PageContext, job: JobRow, events: JobEvent[]): Html {
  const settled = job.state === 'succeeded' || job.state === 'failed';
  return layout(
    `Job ${job.id}`,
    page,
    html`<h1>Job ${job.id} <span class="badge" id="job-state">${job.state}</span></h1>
      <p>
        <code id="job-command">${describeJob(job.command, job.args)}</code> for
        <a href="/deployments/${encodeURIComponent(job.deploymentId)}">${job.deploymentId}</a>, queued by
        ${job.requestedBy} (${job.requestedVia}).
        ${job.worker ? html`Runs on <strong id="job-worker">${job.worker.host}</strong> (pid ${job.worker.pid}), attempt ${job.attempts}.` : 'Waiting for a worker.'}
      </p>
      ${job.error ? html`<p class="error" id="job-error">${job.error}</p>` : ''}
      <section aria-labelledby="job-progress-title" ${settled ? '' : html`data-job-progress-url="/api/jobs/${job.id}/progress"`}>
        <h2 id="job-progress-title">Progress</h2>
        <p id="job-live" role="status">${settled ? 'This job has run.' : 'Following live…'}</p>
        <ol id="job-events">
          ${events.map((e) => html`<li data-seq="${e.seq}"><time datetime="${e.at}">${e.at.slice(11, 19)}</time> ${describeEvent(e.record)}</li>`)}
        </ol>
      </section>
      ${job.outputTail ? html`<h2>Last lines of its output (secrets redacted)</h2><pre class="output" id="job-output">${job.outputTail}</pre>` : ''}`,
    { scripts: settled ? [] : ['/assets/job-progress.js'] },
  );
}
