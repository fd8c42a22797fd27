import { chmodSync, copyFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MokoError } from '../../src/core/errors.js';
import { planSchema, type Plan, type PlanInput } from '../../src/core/plan.js';
import { Secret } from '../../src/core/secret.js';
import { Journal, runSteps } from '../../src/runner/index.js';
import { pipelineFor } from '../../src/runner/pipelines.js';
import { buildFixtureRelease } from '../helpers/fixture-release/build.js';
import { startInstallStack, type InstallStack } from '../helpers/install-stack/index.js';
import { startSmtpTls, type SmtpTls } from '../helpers/integrations/smtp-tls.js';
import { makeCertificate, makeTempDir, removeDir, type Certificate } from '../helpers/services/index.js';
import { startDovecot, type Dovecot } from '../helpers/services/dovecot.js';

/**
 * Issue 17 points 1-2: `deploy` of an integration plan on an installed site (fixture release, real MariaDB) through
 * the journaled runner: outgoing mail configured (STARTTLS, AUTH, sender) and checked by a mail Dolibarr itself
 * sends to a real SMTP relay on loopback that requires TLS and a login; incoming mail by Dolibarr's email collector
 * configured from the plan and run once against a real Dovecot holding test messages, then what Dolibarr recorded.
 */
const smtpPassword = new Secret('relay-pass-7c1e9a2b');
let stack: InstallStack;
let cert: Certificate;
let dovecot: Dovecot;
let relay: SmtpTls;
let home: string;
let caFile: string;

/** The web user runs Dolibarr: the CA it trusts must be readable by it (the certificate helper's dir is root's). */
function readableCopy(path: string, name: string): string {
  const to = join(stack.dir, name);
  copyFileSync(path, to);
  chmodSync(to, 0o644);
  return to;
}

beforeAll(async () => {
  cert = makeCertificate({ cn: 'localhost' });
  home = makeTempDir('integrations-home');
  [dovecot, relay] = await Promise.all([
    startDovecot({ cert }),
    startSmtpTls({ cert, mode: 'starttls', user: 'crm@acme.test', password: smtpPassword.reveal() }),
  ]);
  const fixture = buildFixtureRelease({ version: '20.0.2' });
  stack = await startInstallStack({
    release: fixture.tarball,
    version: fixture.version,
    sha256: fixture.sha256,
  });
  caFile = readableCopy(cert.caPath, 'trusted-ca.pem');
}, 600_000);

afterAll(async () => {
  await Promise.all([stack?.stop(), dovecot?.stop(), relay?.stop()]);
  removeDir(home);
});

function integrationPlan(
  over: {
    imapCa?: string;
    imapPort?: number;
    imapSecurity?: 'ssl' | 'tls';
    smtp?: { port: number; security: 'tls' | 'starttls' };
  } = {},
): Plan {
  const input: PlanInput = {
    ...(stack.plan as PlanInput),
    kind: 'integration',
    environment: 'staging',
    integrations: [
      {
        id: 'mail-out',
        kind: 'email',
        smtp: {
          host: '127.0.0.1',
          port: over.smtp?.port ?? relay.port,
          security: over.smtp?.security ?? 'starttls',
          login: 'crm@acme.test',
          password: { secret: 'acme/smtp' },
          from: 'crm@acme.test',
          testRecipient: 'qa@acme.test',
          caFile,
        },
      },
      {
        id: 'support-inbox',
        kind: 'email',
        description: 'Support mailbox',
        imap: {
          host: 'localhost',
          port: over.imapPort ?? dovecot.imapsPort,
          security: over.imapSecurity ?? 'ssl',
          login: dovecot.user,
          password: { secret: 'acme/imap' },
          folder: 'INBOX',
          filters: [{ type: 'subject', value: 'Support' }],
          actions: [{ type: 'recordevent' }],
          caFile: over.imapCa ?? caFile,
        },
      },
    ],
  };
  return planSchema.parse(input);
}

async function deployIntegrations(plan: Plan, id: string) {
  const pipeline = pipelineFor(plan);
  const facts = await pipeline.gatherFacts(stack.host);
  const journal = Journal.open({ storeDir: home, deploymentId: id, planHash: 'h' });
  const ctx = { ...stack.ctx, plan, facts, outputs: {} };
  return {
    pipeline,
    journal,
    run: () => runSteps({ host: stack.host, steps: pipeline.steps(facts), ctx, journal }),
  };
}

const sql = async (q: string) =>
  (await stack.db.rootClient.query(`USE ${stack.plan.database.name}; ${q}`)).map((r) => r.join('\t'));

describe('integration deployment: email in and out (issue 17)', () => {
  it('configures SMTP and the collector, sends through Dolibarr and collects the matching message', async () => {
    stack.secrets.values.set('acme/smtp', smtpPassword);
    stack.secrets.values.set('acme/imap', new Secret(dovecot.password));
    const support = dovecot.deliver({ from: 'client@example.test', subject: 'Support: printer broken' });
    const other = dovecot.deliver({ from: 'news@example.test', subject: 'Newsletter' });
    const { pipeline, run } = await deployIntegrations(integrationPlan(), 'acme-int-1');
    expect(pipeline.name).toBe('integrations');
    const outcome = await run();
    expect(outcome.steps.map((s) => [s.step, s.status])).toEqual([
      ['integrations:php-tools', 'done'],
      ['integrations:telemetry', 'done'],
      ['integrations:smtp', 'done'],
      ['integrations:collector', 'done'],
      ['integrations:smtp-check', 'done'],
      ['integrations:collector-check', 'done'],
    ]);
    // the relay got one mail, over TLS, from the configured login, to the test address
    expect(relay.messages).toHaveLength(1);
    expect(relay.messages[0]).toMatchObject({ user: 'crm@acme.test', secure: true, to: ['qa@acme.test'] });
    expect(relay.messages[0]!.text).toMatch(/Subject: mokodeploy integration check/);
    expect(
      await sql(
        "SELECT name, value FROM llx_const WHERE name IN ('MAIN_MAIL_EMAIL_STARTTLS', 'MAIN_MAIL_SMTPS_ID', 'MAIN_MAIL_SENDMODE') ORDER BY name",
      ),
    ).toEqual([
      'MAIN_MAIL_EMAIL_STARTTLS\t1',
      'MAIN_MAIL_SENDMODE\tsmtps',
      'MAIN_MAIL_SMTPS_ID\tcrm@acme.test',
    ]);
    // Dolibarr's collector: its verdict, and one agenda event for the message its filter matched
    expect(
      await sql(
        "SELECT codelastresult, host, imap_encryption FROM llx_emailcollector_emailcollector WHERE ref = 'support-inbox'",
      ),
    ).toEqual(['OK\tlocalhost\tssl']);
    expect(await sql('SELECT type, rulevalue FROM llx_emailcollector_emailcollectorfilter')).toEqual([
      'subject\tSupport',
    ]);
    // recorded as incoming (AC_EMAIL_IN): our sender is named in MAIL_FROM_EMAILS_TO_CONSIDER_SENDING, without
    // which Dolibarr 20.0.2 records every collected mail as sent (AC_EMAIL)
    const events = await sql('SELECT email_msgid, code FROM llx_actioncomm');
    expect(events).toContain(`${support}\tAC_EMAIL_IN`);
    expect(events.join('\n')).not.toContain(other);
    // the journal holds no secret
    const journalText = readdirSync(home, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.jsonl'))
      .map((f) => readFileSync(join(home, f), 'utf8'))
      .join('\n');
    expect(journalText).not.toContain(smtpPassword.reveal());
    expect(journalText).not.toContain(dovecot.password);
  }, 300_000);

  it('a collector whose server certificate is not trusted fails the run at its check, naming the collector', async () => {
    const other = makeCertificate({ cn: 'localhost' }); // another CA: Dovecot's certificate does not chain to it
    const { run, journal } = await deployIntegrations(
      integrationPlan({ imapCa: readableCopy(other.caPath, 'other-ca.pem') }),
      'acme-int-2',
    );
    const e = await run().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MokoError);
    expect((e as MokoError).message).toMatch(/integrations:collector-check failed: support-inbox/);
    const failed = journal.records().find((r) => r.type === 'run-failed') as
      { undone?: string[] } | undefined;
    expect(failed?.undone).toEqual(['integrations:collector']);
  }, 300_000);

  it('a wrong SMTP password is refused by the relay: the check fails, the password appears nowhere', async () => {
    stack.secrets.values.set('acme/smtp', new Secret('not-the-password-41'));
    const before = relay.messages.length;
    const { run } = await deployIntegrations(integrationPlan(), 'acme-int-3');
    const e = (await run().catch((x: unknown) => x)) as MokoError;
    expect(e.message).toMatch(/integrations:smtp-check failed/);
    expect(relay.refusedLogins).toContain('crm@acme.test');
    expect(relay.messages.length).toBe(before);
    expect(JSON.stringify({ m: e.message, d: e.details })).not.toContain('not-the-password-41');
    stack.secrets.values.set('acme/smtp', smtpPassword);
  }, 300_000);

  it('an integration plan on a target without an installed Dolibarr is refused before any change', async () => {
    const plan = {
      ...integrationPlan(),
      target: { ...stack.plan.target, root: `${stack.dir}/nothing-here` },
    };
    const e = (await pipelineFor(plan)
      .gatherFacts(stack.host)
      .catch((x: unknown) => x)) as MokoError;
    expect(e.message).toMatch(/no installed Dolibarr at .*nothing-here\/current/);
    expect(e.fix).toMatch(/install it first/);
  });

  it("a release whose PHP-IMAP library fails on this PHP (19.0.4's Carbon on PHP 8.2) is refused with the fix, without php-imap", async () => {
    const autoload = `${stack.plan.target.root}/current/htdocs/includes/webklex/php-imap/vendor/autoload.php`;
    const good = readFileSync(autoload, 'utf8');
    // as 19.0.4's unpatched Carbon 2.61 behaves on PHP 8.2 (Creator.php l.98: setLastErrors(false))
    writeFileSync(
      autoload,
      "<?php\nnamespace Carbon;\nclass Carbon\n{\n\tpublic static function parse($t = null)\n\t{\n\t\tthrow new \\TypeError('Carbon\\\\Carbon::setLastErrors(): Argument #1 ($lastErrors) must be of type array, bool given');\n\t}\n}\n",
    );
    try {
      const { run } = await deployIntegrations(integrationPlan(), 'acme-int-4');
      const e = (await run().catch((x: unknown) => x)) as MokoError;
      expect(e.message).toMatch(/integrations:collector failed: support-inbox/);
      expect(e.details.join('\n')).toMatch(
        /cannot read mail here: its PHP-IMAP library fails on PHP 8\.\d+.*TypeError.*Install php-imap for this PHP, or upgrade Dolibarr to 20/,
      );
    } finally {
      writeFileSync(autoload, good);
    }
  }, 300_000);

  it('implicit TLS for SMTP (port 465 style) and STARTTLS for IMAP work too', async () => {
    const tlsRelay = await startSmtpTls({
      cert,
      mode: 'tls',
      user: 'crm@acme.test',
      password: smtpPassword.reveal(),
    });
    try {
      const third = dovecot.deliver({ from: 'client@example.test', subject: 'Support: over STARTTLS' });
      const plan = integrationPlan({
        smtp: { port: tlsRelay.port, security: 'tls' },
        imapPort: dovecot.imapPort,
        imapSecurity: 'tls',
      });
      const { run } = await deployIntegrations(plan, 'acme-int-5');
      await run();
      expect(tlsRelay.messages).toHaveLength(1);
      expect(tlsRelay.messages[0]).toMatchObject({ user: 'crm@acme.test', secure: true });
      expect(await sql("SELECT value FROM llx_const WHERE name = 'MAIN_MAIL_EMAIL_TLS'")).toEqual(['1']);
      expect(
        await sql(
          "SELECT imap_encryption FROM llx_emailcollector_emailcollector WHERE ref = 'support-inbox'",
        ),
      ).toEqual(['tls']);
      expect(await sql('SELECT email_msgid FROM llx_actioncomm')).toContain(third);
    } finally {
      await tlsRelay.stop();
    }
  }, 300_000);
});
