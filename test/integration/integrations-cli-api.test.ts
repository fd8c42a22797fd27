import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanInput } from '../../src/core/plan.js';
import { SecretStore } from '../../src/store/secrets.js';
import { HttpSession } from '../../src/verify/http.js';
import { workspace, type Workspace } from '../helpers/cli.js';
import { buildFixtureRelease } from '../helpers/fixture-release/build.js';
import { caOf, startInstallStack, type InstallStack } from '../helpers/install-stack/index.js';
import { planInput } from '../helpers/records.js';

/**
 * Issue 17 "API connections" as a user runs it (built executable): an integration plan on an installed fixture site
 * (MariaDB, PHP-FPM, nginx). `deploy --dry-run` lists every command with the key as a secret on stdin, `deploy`
 * creates the system's user and key (generated, announced by name, audited by name), the REST calls pass and are
 * refused as planned, the key is in no output, record or audit; a plan with an unknown right is refused naming
 * the plan file's line.
 */
let ws: Workspace;
let stack: InstallStack;
let store: SecretStore;
const id = 'acme-2026-12-api';
const env = () => ({ MOKODEPLOY_SECRET_KEY_FILE: join(ws.dir, 'secret.key') });

const planOf = (rights: string[], planId = id): PlanInput => {
  const p = JSON.parse(JSON.stringify(stack.plan)) as PlanInput;
  return {
    ...p,
    id: planId,
    kind: 'integration',
    environment: 'staging',
    people: planInput().people,
    window: planInput().window,
    integrations: [{ id: 'erp-sync', kind: 'api', description: 'ERP sync', apiAccess: { rights } }],
  };
};

beforeAll(async () => {
  ws = workspace();
  const fixture = buildFixtureRelease({ version: '20.0.2' });
  stack = await startInstallStack({
    release: fixture.tarball,
    version: fixture.version,
    sha256: fixture.sha256,
    modules: ['modSociete', 'modFacture'],
  });
  store = new SecretStore(join(ws.dir, '.mokodeploy'), join(ws.dir, 'secret.key'));
  for (const name of ['acme/db', 'acme/admin']) store.set(name, stack.secrets.secret(name));
  ws.writePlan('plan.yaml', planOf(['societe.lire', 'facture.lire']));
  for (const args of [
    ['plan', 'submit', 'plan.yaml', '--as', 'tina'],
    ['approve', id, '--as', 'dave'],
    ['ready', id, '--as', 'tina'],
    ['schedule', id, '--as', 'dave', '--client-approved-by', 'Jane Client'],
  ]) {
    const r = ws.run(args, env());
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  }
}, 600_000);

afterAll(async () => {
  await stack?.stop();
});

/** Submit, approve, make ready and schedule a deployment of the plan with these rights. */
function approved(planId: string, rights: string[]): void {
  ws.writePlan(`${planId}.yaml`, planOf(rights, planId));
  for (const args of [
    ['plan', 'submit', `${planId}.yaml`, '--as', 'tina'],
    ['approve', planId, '--as', 'dave'],
    ['ready', planId, '--as', 'tina'],
    ['schedule', planId, '--as', 'dave', '--client-approved-by', 'Jane Client'],
  ]) {
    const r = ws.run(args, env());
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  }
}
const storedKey = () =>
  new SecretStore(join(ws.dir, '.mokodeploy'), join(ws.dir, 'secret.key')).get('acme/api-erp-sync').reveal();

const call = (path: string, key: string) =>
  new HttpSession({ url: stack.plan.site.url, ca: caOf(stack), address: '127.0.0.1' }).get(`api/index.php/${path}`, {
    headers: { DOLAPIKEY: key, accept: 'application/json' },
  });

describe('mokodeploy deploy of an integration plan with an API connection (issue 17)', () => {
  it('--dry-run lists the user, rights and the two calls; no key is created', async () => {
    const r = await ws.runAsync(['deploy', id, '--dry-run'], env());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/integrations:api-users /);
    expect(r.stdout).toMatch(/integration-api-user\.php < \(secret on stdin\)/);
    expect(r.stdout).toMatch(/api-call allowed .*invoices\?limit=1'? < \(secret on stdin\)/);
    expect(r.stdout).toMatch(/api-call refused .*users\?limit=1'? < \(secret on stdin\)/);
    expect(store.has('acme/api-erp-sync')).toBe(false);
  }, 120_000);

  it('deploy creates the user and its key; the calls pass and are refused; the key is in no output or trail', async () => {
    const r = await ws.runAsync(['deploy', id, '--as', 'tina'], env());
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stderr).toContain('generated secret acme/api-erp-sync');
    const key = new SecretStore(join(ws.dir, '.mokodeploy'), join(ws.dir, 'secret.key')).get('acme/api-erp-sync').reveal();
    expect((await call('invoices?limit=1', key)).status).toBe(200);
    expect((await call('users?limit=1', key)).status).toBe(403);
    const record = JSON.parse(ws.run(['--json', 'show', id]).stdout);
    expect(record.runs.at(-1)).toMatchObject({ outcome: 'succeeded' });
    expect(record.facts.lastRun.outputs.integrationChecks).toEqual([
      expect.objectContaining({ integration: 'erp-sync', step: 'integrations:api-users-check' }),
    ]);
    const trail = ws.run(['audit', 'export']).stdout;
    expect(trail).toContain('generated secret acme/api-erp-sync');
    expect(r.stdout + r.stderr + trail + JSON.stringify(record)).not.toContain(key);
  }, 600_000);

  it('a plan with an unknown right is refused with its file:line and the near names', async () => {
    const other = `${id}-2`;
    ws.writePlan('plan-2.yaml', planOf(['societe.lire', 'facture.lir'], other));
    for (const args of [
      ['plan', 'submit', 'plan-2.yaml', '--as', 'tina'],
      ['approve', other, '--as', 'dave'],
      ['ready', other, '--as', 'tina'],
      ['schedule', other, '--as', 'dave', '--client-approved-by', 'Jane Client'],
    ]) {
      const r = ws.run(args, env());
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
    const r = await ws.runAsync(['deploy', other, '--as', 'tina'], env());
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/plan-2\.yaml:\d+:\d+ integrations\.0\.apiAccess\.rights\.1: unknown right facture\.lir/);
    expect(r.stderr).toMatch(/near: facture\.lire/);
  }, 600_000);

  it('a later deploy keeps the key; deploy --rotate replaces it, audited by name, and the old key stops working', async () => {
    const before = storedKey();
    approved(`${id}-3`, ['societe.lire']);
    const kept = await ws.runAsync(['deploy', `${id}-3`, '--as', 'tina'], env());
    expect(kept.code, `${kept.stdout}\n${kept.stderr}`).toBe(0);
    expect(storedKey()).toBe(before);
    expect((await call('invoices?limit=1', before)).status).toBe(403); // facture.lire revoked, same key
    approved(`${id}-4`, ['societe.lire']);
    const r = await ws.runAsync(['deploy', `${id}-4`, '--as', 'tina', '--rotate'], env());
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const after = storedKey();
    expect(after).not.toBe(before);
    expect(r.stderr).toContain('rotated secret acme/api-erp-sync');
    expect((await call('users?limit=1', before)).status).toBe(401);
    expect([200, 404]).toContain((await call('thirdparties?limit=1', after)).status);
    const trail = ws.run(['audit', 'export']).stdout;
    expect(trail).toContain('rotated secret acme/api-erp-sync');
    expect(r.stdout + r.stderr + trail).not.toContain(after);
    expect(trail).not.toContain(before);
  }, 600_000);
});
