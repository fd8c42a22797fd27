import { createRequire } from 'node:module';
import { isAbsolute, join, relative } from 'node:path';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { redact } from '../core/secret.js';
import { conflict, targetError } from '../core/errors.js';
import { appendJournalLineSql, appendJournalLineValues, type JournalWriter } from '../queue/journal-lines.js';
import { signJournalLine } from '../queue/signature.js';
import type { AuditSigner } from '../audit/signing-key.js';
import { journalMirrorThread } from './journal-mirror-thread.js';

/**
 * One per worker process, started with it. Every run-journal line a job appends on this worker is committed to the queue's database before the runner goes
 * on to its next step (issue 20): the runner's journal is synchronous (append + fsync, then the next command), so the
 * commit is too. A thread holds the connection and runs the INSERT; the runner's thread waits for its answer
 * (Atomics.wait, as the fsync waits for the disk). A line that cannot be committed (the database unreachable past
 * `retryMs`, or the job handed to another worker) throws: the run stops rather than go on with a step another
 * machine would not know was done.
 */
export interface JournalMirror {
  /** Commit one line of a journal file under `<home>/journals` (as Journal.append wrote it), as `writer`'s. */
  mirror(writer: JournalWriter, path: string, line: string): void;
  stop(): Promise<void>;
}

export interface JournalMirrorOptions {
  url: string;
  home: string;
  /** Signs each line (the store's audit key): a worker taking the job over writes only signed lines to its disk. */
  signer: AuditSigner;
  /** How long a lost connection is retried before the run is stopped. */
  retryMs?: number;
}

export async function startJournalMirror(o: JournalMirrorOptions): Promise<JournalMirror> {
  const retryMs = o.retryMs ?? 20_000;
  const pgPath = createRequire(import.meta.url).resolve('pg');
  const thread = new Worker(`(${journalMirrorThread.toString()})()`, {
    eval: true,
    workerData: { pgPath, url: o.url, sql: appendJournalLineSql, retryMs },
  });
  thread.unref(); // never what keeps a worker process alive (a request in flight blocks the runner's thread anyway)
  const exited = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
  const ready = await new Promise<{ ready: boolean; error?: string }>((resolve, reject) => {
    thread.once('message', resolve);
    thread.once('error', reject);
  }).catch((e: Error) => ({ ready: false, error: e.message }));
  if (!ready.ready) {
    await thread.terminate();
    throw new Error(`the journal mirror cannot reach the queue's database: ${ready.error ?? 'no answer'}`);
  }
  const journals = join(o.home, 'journals');
  return {
    mirror(writer, path, line) {
      const file = relative(journals, path);
      if (file.startsWith('..') || isAbsolute(file)) return; // not a run journal of this home
      const flag = new Int32Array(new SharedArrayBuffer(4));
      const { port1, port2 } = new MessageChannel();
      thread.postMessage(
        {
          values: appendJournalLineValues(writer, file, line, shownRecord(line), signJournalLine(o.signer, writer.jobId, file, line, writer.attempt)),
          flag,
          port: port2,
        },
        [port2],
      );
      const waited = Atomics.wait(flag, 0, 0, retryMs + 10_000);
      const answer = receiveMessageOnPort(port1)?.message as
        { ok: boolean; rows?: number; error?: string } | undefined;
      port1.close();
      const where = `job ${writer.jobId}, journal ${file}`;
      if (waited === 'timed-out' || !answer)
        throw targetError(`the run journal's line was not committed to the queue's database in time`, {
          where,
          fix,
        });
      if (!answer.ok)
        throw targetError(
          `the run journal's line could not be committed to the queue's database: ${redact(answer.error ?? '')}`,
          {
            where,
            fix,
          },
        );
      if (answer.rows !== 1) {
        throw conflict(
          `job ${writer.jobId} was handed to another worker (the queue declared this one dead): this run stops here`,
          {
            where,
            fix: 'nothing to do: the job goes on on the worker it was handed to (mokodeploy jobs ID)',
          },
        );
      }
    },
    async stop() {
      thread.postMessage({ stop: true });
      const timer = setTimeout(() => void thread.terminate(), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

const fix =
  "the run stopped before its next step: once the queue's database answers again, queue the command again (it resumes the journal)";

/** The record as progress for the dashboard: redacted, without NUL characters (jsonb refuses them). */
export function shownRecord(line: string): string {
  try {
    return JSON.stringify(JSON.parse(redact(line)), (_k, v: unknown) =>
      typeof v === 'string' ? v.replace(/\0/g, '') : v,
    );
  } catch {
    return JSON.stringify({ type: 'unreadable-journal-line' });
  }
}
