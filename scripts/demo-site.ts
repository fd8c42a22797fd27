import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SecretStore } from '../src/store/secrets.js';
import { bin, type Cli } from './demo-cli.js';

/**
 * The scheduled backup a server keeps in /etc/cron.d (policy "Backups configured and tested"), written to the
 * plan's cronDir in the scratch folder, beside the Dolibarr cron entry the deploy wrote there. Returns its path.
 */
export function writeBackupSchedule(dir: string, id: string): string {
  const file = join(dir, 'cron.d', 'mokocrm-demo-backup');
  const env = [
    `MOKODEPLOY_HOME=${join(dir, '.mokodeploy')}`,
    `MOKODEPLOY_SECRET_KEY_FILE=${join(dir, 'keys', 'secret.key')}`,
    `MOKODEPLOY_AUDIT_KEY_FILE=${join(dir, 'keys', 'audit-signing.pem')}`,
  ];
  const run = `30 2 * * * root node ${bin} backup ${id} --as tina --fpm-pid ${join(dir, 'fpm', 'php-fpm.pid')}`;
  writeFileSync(file, ['# nightly backup of the demo site', ...env, run, ''].join('\n'));
  return file;
}

/**
 * The admin's password as a user reads it: `mokodeploy secret get NAME --out FILE` (issue 14: never into a pipe,
 * a new 0600 file instead; audited). With a CLI that has no `secret get`, the store's API with the same key file.
 */
export async function readAdminPassword(
  cli: Cli,
  dir: string,
): Promise<{ value: string; via: string; file?: string }> {
  const file = join(dir, 'admin-password');
  const got = await cli(['secret', 'get', 'demo/admin', '--out', file, '--as', 'tina'], {
    expect: [0, 1, 2],
  });
  if (got.code === 0) return { value: readFileSync(file, 'utf8').trim(), via: 'mokodeploy secret get', file };
  const store = new SecretStore(join(dir, '.mokodeploy'), join(dir, 'keys', 'secret.key'));
  return {
    value: store.get('demo/admin').reveal(),
    via: "the secret store's API (this CLI has no `secret get` yet)",
  };
}

/** The environment the demo's CLI ran with, as a file to source: the store, its keys, the team. Returns its path. */
export function writeEnvFile(dir: string, env: Record<string, string>): string {
  const file = join(dir, 'env.sh');
  const q = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
  writeFileSync(
    file,
    Object.entries(env)
      .map(([k, v]) => `export ${k}=${q(v)}\n`)
      .join(''),
  );
  return file;
}
