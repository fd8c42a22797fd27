import type { EventSink, RunEvent } from './events.js';

/**
 * Renders run events for a person: on a terminal one live line (current step, elapsed time)
 * redrawn in place plus a line per finished step; elsewhere (CI, logs, pipes) plain
 * timestamped lines. Command text in events is already redacted.
 */
export interface Reporter {
  onEvent: EventSink;
  /** Stop the live redraw and leave the cursor on a fresh line. */
  close(): void;
}

type Out = { write(text: string): unknown; isTTY?: boolean; columns?: number };

export function createReporter(out: Out, opts: { live?: boolean } = {}): Reporter {
  return (opts.live ?? out.isTTY === true) ? liveReporter(out) : plainReporter(out);
}

export function plainReporter(out: Out): Reporter {
  let total = 0;
  const onEvent: EventSink = (e) => {
    if (e.type === 'run-start') total = e.total;
    const line = plainLine(e, total);
    if (line !== undefined) out.write(`${e.at} ${line}\n`);
  };
  return { onEvent, close: () => {} };
}

function plainLine(e: RunEvent, total: number): string | undefined {
  const at = (index: number) => `[${index + 1}/${total}]`;
  switch (e.type) {
    case 'run-start':
      return `${e.resumed ? 'resuming' : 'starting'} deployment ${e.deploymentId} (${e.total} steps)`;
    case 'lock-taken-over':
      return `took over the lock left by dead run pid ${e.previous.pid} (${e.previous.person}, since ${e.previous.since})`;
    case 'step-start':
      return `${at(e.index)} ${e.step} — ${e.title}`;
    case 'command':
      return `    ${e.number}. ${e.text}`;
    case 'step-skipped':
      return `${at(e.index)} ${e.step} skipped: ${skipText(e.reason)}`;
    case 'step-done':
      return `${at(e.index)} ${e.step} done in ${seconds(e.durationMs)}`;
    case 'step-failed':
      return `${at(e.index)} ${e.step} FAILED: ${e.error.message}`;
    case 'run-done':
      return `deployment steps finished in ${seconds(e.durationMs)}`;
    case 'run-failed':
      return `run stopped after ${seconds(e.durationMs)}${e.step ? ` at ${e.step}` : ''}`;
  }
}

export function liveReporter(out: Out, tickMs = 250): Reporter {
  let total = 0;
  let runStart = Date.now();
  let current: { label: string; since: number; command?: string } | undefined;
  const redraw = () => {
    if (!current) return;
    const now = Date.now();
    const line = `▶ ${current.label}  ${seconds(now - current.since)} (total ${seconds(now - runStart)})${current.command ? `  $ ${current.command}` : ''}`;
    out.write(`\r\x1b[2K${line.slice(0, (out.columns ?? 100) - 1)}`);
  };
  const finish = (text: string) => {
    out.write(`\r\x1b[2K${text}\n`);
    current = undefined;
  };
  const timer = setInterval(redraw, tickMs);
  timer.unref();
  const onEvent: EventSink = (e) => {
    const at = (index: number) => `[${index + 1}/${total}]`;
    if (e.type === 'run-start') [total, runStart] = [e.total, Date.parse(e.at)];
    else if (e.type === 'step-start')
      current = { label: `${at(e.index)} ${e.step} — ${e.title}`, since: Date.parse(e.at) };
    else if (e.type === 'command' && current) current.command = e.text;
    else if (e.type === 'step-done') finish(`✓ ${at(e.index)} ${e.step}  ${seconds(e.durationMs)}`);
    else if (e.type === 'step-skipped') finish(`· ${at(e.index)} ${e.step}  skipped: ${skipText(e.reason)}`);
    else if (e.type === 'step-failed') finish(`✗ ${at(e.index)} ${e.step}  ${e.error.message}`);
    else {
      const line = plainLine(e, total);
      if (line !== undefined) finish(line);
    }
    redraw();
  };
  return { onEvent, close: () => clearInterval(timer) };
}

function skipText(reason: 'journal' | 'in-place'): string {
  return reason === 'journal' ? 'done by the interrupted run' : 'already in place';
}

export function seconds(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const total = Math.round(ms / 1000);
  return `${Math.floor(total / 60)}m${String(total % 60).padStart(2, '0')}s`;
}
