import { randomBytes } from 'node:crypto';
import { MokoError } from '../../core/errors.js';
import { Secret } from '../../core/secret.js';
import type { Host } from '../../hosts/host.js';
import type { EntityPhpToolName } from '../php/index.js';
import { entityTool } from '../../steps/entities/context.js';
import type { StepContext } from '../../steps/step.js';
import type { Marker } from './types.js';

async function runTool(
  host: Host,
  ctx: StepContext,
  entity: number,
  request: Record<string, unknown>,
  tool: EntityPhpToolName = 'isolation-markers.php',
) {
  const r = await host.run(entityTool(ctx, tool, entity, request));
  const out = /\{.*\}\s*$/s.exec(r.stdout)?.[0];
  const parsed = out ? (JSON.parse(out) as { ok: boolean; errors: string[]; done: unknown[] }) : undefined;
  if (r.code !== 0 || !parsed?.ok)
    throw new MokoError(
      'target',
      `${tool} in entity ${entity}: ${parsed?.errors.join('; ') ?? (r.stderr || r.stdout).slice(0, 400)}`,
      {
        fix: 'check that the entity exists and its modules Societe and Product are enabled (mokodeploy deploy of the plan)',
      },
    );
  return parsed.done;
}

/** One third party, contact and product per entity, made in that entity by Dolibarr's classes. */
export async function seedMarkers(host: Host, ctx: StepContext, entities: number[]): Promise<Marker[]> {
  const run = randomBytes(3).toString('hex');
  const markers: Marker[] = [];
  for (const entity of entities) {
    const done = await runTool(host, ctx, entity, { action: 'create', tag: `${run}-e${entity}` });
    markers.push(done[0] as Marker);
  }
  return markers;
}

/** Remove the markers again (a client's production keeps no test records). */
export async function removeMarkers(host: Host, ctx: StepContext, markers: Marker[]): Promise<void> {
  for (const m of markers) await runTool(host, ctx, m.entity, { action: 'delete', tag: 'x', ids: m });
}

/** A temporary REST API key for a user of an entity (removed by clearApiKey); it travels on stdin only. */
export async function setApiKey(
  host: Host,
  ctx: StepContext,
  entity: number,
  login: string,
): Promise<Secret> {
  const key = new Secret(`moko${randomBytes(16).toString('hex')}`);
  await runTool(host, ctx, entity, { login, key: key.reveal() }, 'isolation-api-key.php');
  return key;
}

export async function clearApiKey(
  host: Host,
  ctx: StepContext,
  entity: number,
  login: string,
): Promise<void> {
  await runTool(host, ctx, entity, { login, key: '' }, 'isolation-api-key.php');
}
