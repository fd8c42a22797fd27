import { sqlCommand } from '../../checks/db-client.js';
import type { Host } from '../../hosts/host.js';
import type { StepContext } from '../step.js';

const sqlString = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** Data and indexes of a schema as the server counts them (information_schema), in one query. */
export function databaseBytesSql(schema: string): string {
  return `SELECT COALESCE(SUM(data_length + index_length), 0) FROM information_schema.tables WHERE table_schema = ${sqlString(schema)}`;
}

/**
 * Issue 19: the size of a schema, read only, for the rehearsal's prediction (production now vs the restored copy).
 * Undefined when the server does not answer: the prediction then takes the copy as production's size.
 */
export async function readDatabaseBytes(
  host: Host,
  ctx: StepContext,
  schema: string,
): Promise<number | undefined> {
  const command = sqlCommand(
    { host, policy: ctx.policy, plan: ctx.plan, now: new Date(), secret: ctx.secret },
    databaseBytesSql(schema),
  );
  const r = await host.run({ ...command, timeoutMs: 60_000 });
  const n = Number(r.stdout.trim());
  return r.code === 0 && Number.isFinite(n) && n > 0 ? n : undefined;
}
