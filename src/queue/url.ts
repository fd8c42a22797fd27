import { inputError } from '../core/errors.js';

/**
 * Where the queue lives: `$MOKODEPLOY_QUEUE`, else the PostgreSQL store (`--store`, `$MOKODEPLOY_STORE`): the
 * queue's tables sit beside the store's. A password is better in PGPASSWORD or ~/.pgpass (the pg client reads them).
 */
export function queueUrlFrom(env: NodeJS.ProcessEnv, store?: string): string {
  const url = configuredQueueUrl(env, store);
  if (!url) {
    throw inputError('no job queue: queued runs need PostgreSQL', {
      where: 'MOKODEPLOY_QUEUE',
      fix: 'set MOKODEPLOY_QUEUE=postgres://user@host/db (or a postgres:// MOKODEPLOY_STORE); the password in PGPASSWORD or ~/.pgpass',
    });
  }
  if (!isPostgresUrl(url)) {
    throw inputError(`the job queue must be a postgres:// URL, got ${safeUrl(url)}`, {
      where: 'MOKODEPLOY_QUEUE',
      fix: 'set MOKODEPLOY_QUEUE=postgres://user@host/db',
    });
  }
  return url;
}

export function isPostgresUrl(url: string | undefined): url is string {
  return !!url && /^postgres(ql)?:\/\//i.test(url);
}

/** A URL fit for messages: any password replaced. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/** The queue's URL when one is configured, else undefined (a dashboard without a queue still starts). */
export function configuredQueueUrl(env: NodeJS.ProcessEnv, store?: string): string | undefined {
  const stored = store ?? env.MOKODEPLOY_STORE;
  return env.MOKODEPLOY_QUEUE ?? (isPostgresUrl(stored) ? stored : undefined);
}
