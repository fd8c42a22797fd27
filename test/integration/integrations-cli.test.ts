import { chmodSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanInput } from '../../src/core/plan.js';
import { Secret } from '../../src/core/secret.js';
import { SecretStore } from '../../src/store/secrets.js';
import { workspace, type Workspace } from '../helpers/cli.js';
import { buildFixtureRelease } from '../helpers/fixture-release/build.js';
import { startSmtpTls, type SmtpTls } from '../helpers/integrations/smtp-tls.js';
import { planInput } from '../helpers/records.js';
import { makeCertificate, startMariadb, type Mariadb } from '../helpers/services/index.js';
import { startDovecot, type Dovecot } from '../helpers/services/dovecot.js';
import { dirMaker, tempTargetPaths, testDatabase, testSite } from '../helpers/site-parts.js';

/**
 * Issue 17 as a user runs it (built executable): a new install whose plan has integrations. `deploy --dry-run` lists
 * the integration commands (no secret), `deploy` installs the fixture release, then configures outgoing mail and the
 * collector and checks both against a real relay (STARTTLS + login) and a real Dovecot; the record keeps the run.
 */
let ws: Workspace;
let db: Mariadb;
let dovecot: Dovecot;
let relay: SmtpTls;
let support: string;
let plan: PlanInput;
const id = 'acme-2026-12';
const smtpPassword = new Secret('cli-relay-pass-93b1');

beforeAll(async () => {
  ws = workspace();
  chmodSync(ws.dir, 0o755);
  const d = dirMaker(ws.dir);
  const mailCert = makeCertificate({ cn: 'localhost' });
  const ca = join(ws.dir, 'mail-ca.pem');
  copyFileSync(mailCert.caPath, ca);
  chmodSync(ca, 0o644);
  [db, dovecot, relay] = await Promise.all([
    startMariadb(),
    startDovecot({ cert: mailCert }),
    startSmtpTls({
      cert: mailCert,
      mode: 'starttls',
      user: 'crm@acme.test',
      password: smtpPassword.reveal(),
    }),
  ]);
  const fixture = buildFixtureRelease({ version: '20.0.2' }, d('release'));
  const site = await testSite(makeCertificate({ cn: 'crm.acme.test', dir: d('tls') }));
  plan = planInput({
    environment: 'staging',
    dolibarr: { version: '20.0.2', release: fixture.tarball, sha256: fixture.sha256 },
    target: {
      host: 'local',
      ...tempTargetPaths(d),
      phpFpmSocket: join(d('run'), 'php-fpm-acme.sock'),
      serviceManager: 'none',
      cronDir: d('cron.d'),
    },
    site,
    database: testDatabase(db),
    company: { name: 'ACME SARL', country: 'FR', email: 'contact@acme.test' },
    integrations: [
      {
        id: 'mail',
        kind: 'email',
        smtp: {
          host: '127.0.0.1',
          port: relay.port,
          login: 'crm@acme.test',
          password: { secret: 'acme/smtp' },
          from: 'crm@acme.test',
          testRecipient: 'qa@acme.test',
          caFile: ca,
        },
        imap: {
          host: 'localhost',
          port: dovecot.imapsPort,
          login: dovecot.user,
          password: { secret: 'acme/imap' },
          caFile: ca,
        },
      },
    ],
  });
  ws.writePlan('plan.yaml', plan);
  const secrets = new SecretStore(join(ws.dir, '.mokodeploy'), join(ws.dir, 'secret.key'));
  secrets.set('acme/smtp', smtpPassword);
  secrets.set('acme/imap', new Secret(dovecot.password));
  const env = { MOKODEPLOY_SECRET_KEY_FILE: join(ws.dir, 'secret.key') };
  for (const args of [
    ['plan', 'submit', 'plan.yaml', '--as', 'tina'],
    ['approve', id, '--as', 'dave'],
    ['ready', id, '--as', 'tina'],
    ['schedule', id, '--as', 'dave', '--client-approved-by', 'Jane Client'],
  ]) {
    const r = ws.run(args, env);
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  }
  support = dovecot.deliver({ from: 'client@example.test', subject: 'Help please' });
}, 300_000);

afterAll(async () => {
  await Promise.all([db?.stop(), dovecot?.stop(), relay?.stop()]);
});

const env = () => ({ MOKODEPLOY_SECRET_KEY_FILE: join(ws.dir, 'secret.key') });

describe('mokodeploy deploy of a new install with integrations (issue 17)', () => {
  it('--dry-run lists the integration steps after the install, secrets only as "(secret on stdin)"', async () => {
    const r = await ws.runAsync(['deploy', id, '--dry-run'], env());
    expect(r.code, r.stderr).toBe(0);
    const steps = r.stdout.split('\n').filter((l) => /^\[\d+\/\d+\] /.test(l));
    expect(steps.slice(-5).map((l) => l.replace(/^\[\d+\/\d+\] (\S+).*$/, '$1'))).toEqual([
      'integrations:php-tools',
      'integrations:smtp',
      'integrations:collector',
      'integrations:smtp-check',
      'integrations:collector-check',
    ]);
    expect(r.stdout).toMatch(/integration-configure-collector\.php < \(secret on stdin\)/);
    expect(r.stdout).not.toContain(smtpPassword.reveal());
    expect(r.stdout).not.toContain(dovecot.password);
  }, 120_000);

  it('deploy installs, configures and checks the integrations; the record keeps the run', async () => {
    const r = await ws.runAsync(['deploy', id, '--as', 'tina'], env());
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout + r.stderr).toContain('integrations:collector-check');
    expect(relay.messages).toHaveLength(1);
    expect(relay.messages[0]).toMatchObject({ user: 'crm@acme.test', secure: true, to: ['qa@acme.test'] });
    const events = await db.rootClient.query(`SELECT email_msgid, code FROM ${testDb()}.llx_actioncomm`);
    expect(events.map((e) => e.join(' '))).toEqual([`${support} AC_EMAIL_IN`]);
    const record = JSON.parse(ws.run(['--json', 'show', id]).stdout);
    expect(record.state).toBe('verifying');
    expect(record.runs.at(-1)).toMatchObject({ outcome: 'succeeded' });
    expect(record.facts.lastRun.outputs.smtpTestMail).toMatchObject({ to: 'qa@acme.test' });
    // what was tested, on the record (policy Phase 3 "Test integrations"); the run succeeded, so every check passed
    expect(record.facts.lastRun.outputs.integrationChecks).toEqual([
      expect.objectContaining({
        integration: 'mail',
        step: 'integrations:smtp-check',
        check: expect.stringMatching(/test mail to qa@acme.test/),
      }),
      expect.objectContaining({
        integration: 'mail',
        step: 'integrations:collector-check',
        check: expect.stringMatching(/verdict OK/),
      }),
    ]);
    const trail = ws.run(['audit', 'export']).stdout + JSON.stringify(record);
    expect(trail).not.toContain(smtpPassword.reveal());
    expect(trail).not.toContain(dovecot.password);
  }, 600_000);

  it('deploy of an integration plan runs the integrations alone on the installed site', async () => {
    const intId = 'acme-2026-12-mail';
    ws.writePlan('integration.yaml', { ...plan, id: intId, kind: 'integration' });
    for (const args of [
      ['plan', 'submit', 'integration.yaml', '--as', 'tina'],
      ['approve', intId, '--as', 'dave'],
      ['ready', intId, '--as', 'tina'],
      ['schedule', intId, '--as', 'dave', '--client-approved-by', 'Jane Client'],
    ]) {
      const r = ws.run(args, env());
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
    const second = dovecot.deliver({ from: 'client@example.test', subject: 'Another question' });
    const r = await ws.runAsync(['deploy', intId, '--as', 'tina'], env());
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout + r.stderr).not.toContain('install:');
    expect(relay.messages).toHaveLength(2);
    const events = await db.rootClient.query(
      `SELECT email_msgid FROM ${testDb()}.llx_actioncomm ORDER BY id`,
    );
    expect(events.map((e) => e[0])).toEqual([support, second]);
    const record = JSON.parse(ws.run(['--json', 'show', intId]).stdout);
    expect(record.state).toBe('verifying');
    expect(record.runs.at(-1)).toMatchObject({ outcome: 'succeeded' });
  }, 600_000);
});

function testDb(): string {
  return testDatabase(db).name;
}
