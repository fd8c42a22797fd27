import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/core/plan.js';
import type { IsolationReport } from '../../src/entities/isolation/types.js';
import { anchorFileFor } from '../../src/audit/anchor.js';
import { readOrCreateAuditSigner } from '../../src/audit/signing-key.js';
import { SecretStore } from '../../src/store/secrets.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { workspace, type Workspace } from '../helpers/cli.js';
import { entityReader as reader, startEntitiesStack } from '../helpers/entities-stack.js';
import type { InstallStack } from '../helpers/install-stack/index.js';
import { recordPlan, verifyingRecord } from '../helpers/verify/record.js';

/**
 * Issue 18 in CI: `mokodeploy entities verify <id>` (the built executable) against the fixture release installed
 * with the stand-in multicompany module and two entities made by the entity steps, served by nginx + PHP-FPM over
 * TLS, checked with Chromium and the REST API. The fixture filters its lists, cards and API by the user's entity
 * (getEntity(), test/helpers/fixture-release/php-core.ts), logs into the entity chosen in the login form and lets
 * only a superadmin switch (multicompany.ts). A negative control moves entity 2's third party into entity 1 (a
 * trigger on llx_societe, since the markers are made inside the command): the command must name that leak.
 */
let stack: InstallStack;
let ws: Workspace;
let env: NodeJS.ProcessEnv;
const out = mkdtempSync(join(tmpdir(), 'moko-entities-verify-'));
const now = new Date();

const entities: Plan['entities'] = [
  { id: 1, label: 'ACME France', modules: [], constants: [], users: [reader('frank', 'Dupont')] },
  {
    id: 2,
    label: 'ACME Belgium',
    company: { name: 'ACME Belgium SPRL', country: 'BE', town: 'Bruxelles', currency: 'EUR' },
    modules: ['modSociete', 'modProduct'],
    constants: [],
    branding: { topMenuColor: '#1a5276' },
    users: [reader('bob', 'Peeters')],
  },
];

const sql = (q: string) => stack.db.rootClient.query(`USE ${stack.plan.database.name}; ${q}`);

const storedRecord = async () => {
  const s = new SqliteStore(ws.storePath);
  try {
    return (await s.get('acme-2026-11'))!.record;
  } finally {
    await s.close();
  }
};

const verify = () =>
  ws.runAsync(
    [
      'entities',
      'verify',
      'acme-2026-11',
      '--as',
      'tina',
      '--ca-file',
      stack.cert.caPath,
      '--address',
      '127.0.0.1',
    ],
    env,
  );

beforeAll(async () => {
  ({ stack } = await startEntitiesStack(out, entities, ['modApi', 'modSociete', 'modProduct']));
  ws = workspace();
  env = { MOKODEPLOY_SECRET_KEY_FILE: join(out, 'secret.key') };
  execFileSync('mkdir', ['-p', join(ws.dir, '.mokodeploy')]);
  const secrets = new SecretStore(join(ws.dir, '.mokodeploy'), env.MOKODEPLOY_SECRET_KEY_FILE!);
  for (const name of ['acme/admin', 'acme/db', 'acme/frank', 'acme/bob'])
    secrets.set(name, stack.secrets.secret(name));
  const keyFile = ws.env.MOKODEPLOY_AUDIT_KEY_FILE!;
  const s = new SqliteStore(ws.storePath, {
    signer: readOrCreateAuditSigner(keyFile),
    anchorFile: anchorFileFor(ws.storePath, keyFile),
  });
  await s.create({
    record: verifyingRecord(recordPlan(stack.plan, { entities }, now), now),
    audit: {
      at: now.toISOString(),
      actor: 'tina',
      role: 'technical-lead',
      action: 'create',
      deploymentId: 'acme-2026-11',
      summary: 'test record',
      before: null,
      after: null,
    },
  });
  await s.close();
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  execFileSync('rm', ['-rf', out, ws?.dir ?? '/nonexistent']);
});

describe('mokodeploy entities verify on a fixture site with two entities', () => {
  it('passes every isolation check and records them on the record and in the handoff pack', async () => {
    const r = await verify();
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    // each channel and each property was really looked at
    for (const line of [
      /ok\s+api entity 2 vs 1 api\.thirdparties\.list: bob's thirdparties list \(HTTP 200\) does not show/,
      /ok\s+api entity 2 vs 1 api\.thirdparties\.by-id: bob asks for entity 1's thirdparties\/\d+: HTTP 403/,
      /ok\s+api entity 1 vs 2 api\.dolapientity: frank with DOLAPIENTITY: 2: HTTP 401/,
      /ok\s+browser entity 1 browser\.login: frank logged into entity 1/,
      /ok\s+browser entity 2 vs 1 browser\.login-other-entity: bob refused in entity 1/,
      /ok\s+browser entity 2 vs 1 browser\.switch-refused/,
      /ok\s+browser entity 2 switch\.branding\.color: --colorbackhmenu1 is rgb\(26,82,118\)/,
      /ok\s+browser entity 2 switch\.own-data: admin in entity 2 sees/,
      /ok\s+browser entity 1 login\.entity-label: the login form offers entity 1 as "ACME France"/,
      /ok\s+browser entity 2 login\.entity-label: the login form offers entity 2 as "ACME Belgium"/,
    ])
      expect(r.stdout).toMatch(line);
    expect(r.stdout).not.toMatch(/FAIL/);
    const facts = (await storedRecord()).facts.entityIsolation as IsolationReport;
    expect(facts.ok).toBe(true);
    expect(facts.entities).toEqual([1, 2]);
    expect(facts.checks.length).toBeGreaterThan(40);
    // the markers are gone again
    expect(await sql("SELECT COUNT(*) FROM llx_societe WHERE nom LIKE 'mokodeploy isolation %'")).toEqual([
      ['0'],
    ]);
    const dir = join(out, 'report');
    const rep = await ws.runAsync(['report', 'acme-2026-11', 'handoff', '--out', dir], env);
    expect(rep.code, rep.stderr).toBe(0);
    const html = readFileSync(join(dir, 'acme-2026-11-handoff.html'), 'utf8');
    expect(html).toContain('Entities and isolation');
    expect(html).toContain(`${facts.checks.length} of ${facts.checks.length} checks passed`);
    expect(html).toContain('api.dolapientity');
  }, 300_000);

  it("fails with exit 1 naming the leak when entity 2's third party lands in entity 1", async () => {
    await sql(
      // one statement (the client splits on ';'): an entity-2 third party is written into entity 1
      'CREATE TRIGGER moko_leak BEFORE INSERT ON llx_societe FOR EACH ROW SET NEW.entity = IF(NEW.entity = 2, 1, NEW.entity)',
    );
    try {
      const r = await verify();
      expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(1);
      expect(r.stdout).toMatch(
        /FAIL api entity 1 vs 2 api\.thirdparties\.list: frank's thirdparties list \(HTTP 200\) SHOWS "mokodeploy isolation [0-9a-f]+-e2"/,
      );
      expect(r.stdout).toMatch(
        /FAIL browser entity 1 vs 2 browser\.third parties\.list: societe\/list\.php SHOWS entity 2's "mokodeploy isolation [0-9a-f]+-e2"/,
      );
      // contacts and products stayed in their entity: those checks still pass
      expect(r.stdout).toMatch(/ok\s+api entity 1 vs 2 api\.products\.list/);
      const facts = (await storedRecord()).facts.entityIsolation as IsolationReport;
      expect(facts.ok).toBe(false);
    } finally {
      await sql('DROP TRIGGER moko_leak');
    }
  }, 300_000);
});
