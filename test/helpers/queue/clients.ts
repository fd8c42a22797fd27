import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { buildFixtureRelease, type FixtureRelease } from '../fixture-release/build.js';
import { planInput } from '../records.js';
import { teamPeople, workspace, type Workspace } from '../cli.js';
import { dirMaker } from '../site-parts.js';

/**
 * A workspace with many clients, each with an approved, ready, scheduled record whose target is a local temp
 * directory (dry runs read it; nothing is installed): what the queue bench and the fleet tests start from.
 * `unreachable` clients' targets are an SSH address nobody listens on, so their runs fail at the first contact.
 */
export interface Clients {
  ws: Workspace;
  env: NodeJS.ProcessEnv;
  ids: string[];
  release: FixtureRelease;
}

export function prepareClients(opts: {
  count: number;
  kind?: 'new' | 'upgrade';
  unreachable?: number[];
  /** Clients left submitted only (not approved): a fleet must report them blocked. */
  unapproved?: number[];
  ws?: Workspace;
  release?: FixtureRelease;
  /** The first client's number (client001 by default). */
  first?: number;
  /** A client's display name (default "Client N"). */
  clientName?: (i: number) => string;
}): Clients {
  const ws = opts.ws ?? workspace();
  chmodSync(ws.dir, 0o755);
  const d = dirMaker(ws.dir);
  const release = opts.release ?? buildFixtureRelease({ version: '20.0.2' }, d('release'));
  const env = { MOKODEPLOY_SECRET_KEY_FILE: join(ws.dir, 'secret.key') };
  const now = Date.now();
  const ids: string[] = [];
  const first = opts.first ?? 1;
  for (let i = first; i < first + opts.count; i++) {
    const client = `client${String(i).padStart(3, '0')}`;
    const id = `${client}-2026-12`;
    const root = d(client);
    const local = {
      host: 'local',
      root: join(root, 'www'),
      dataRoot: join(root, 'documents'),
      backupRoot: join(root, 'backups'),
      webConfigDir: join(root, 'sites'),
      phpFpmPoolDir: join(root, 'pool.d'),
      serviceManager: 'none' as const,
      cronDir: join(root, 'cron.d'),
    };
    const target = opts.unreachable?.includes(i)
      ? { ...local, host: '127.0.0.1', port: 1, user: 'nobody', knownHostsFile: join(ws.dir, 'known_hosts') }
      : local;
    const plan = planInput({
      client,
      clientName: opts.clientName?.(i) ?? `Client ${i}`,
      id,
      kind: opts.kind ?? 'new',
      environment: 'staging',
      dolibarr: {
        version: release.version,
        release: release.tarball,
        sha256: release.sha256,
        ...(opts.kind === 'upgrade' ? { upgradeFrom: '19.0.4' } : {}),
      },
      target: target as never,
      site: { domain: `${client}.test`, url: `https://${client}.test`, tls: { certificate: join(root, 'tls.crt'), key: join(root, 'tls.key') } },
      database: { host: '127.0.0.1', port: 1, name: `${client}_crm`, user: client, password: { secret: `${client}/db` } },
      admin: { login: 'admin', password: { secret: `${client}/admin` } },
      people: teamPeople,
      window: { start: new Date(now - 3_600_000).toISOString(), end: new Date(now + 6 * 3_600_000).toISOString(), timezone: 'UTC' },
    });
    ws.writePlan(`${client}.yaml`, plan);
    const steps = [['plan', 'submit', `${client}.yaml`, '--as', 'tina']];
    if (!opts.unapproved?.includes(i)) {
      steps.push(
        ['approve', id, '--as', 'dave'],
        ['ready', id, '--as', 'tina'],
        ['schedule', id, '--as', 'dave', '--client-approved-by', 'Jane Client'],
      );
    }
    for (const args of steps) {
      const r = ws.run(args, env);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
    ids.push(id);
  }
  return { ws, env, ids, release };
}
