import { chmodSync, chownSync, readFileSync, writeFileSync, readdirSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVerification, type VerificationOutcome } from '../../src/verify/run.js';
import { allChecks } from '../../src/verify/checks/index.js';
import { reloadNginx, startVerifySite, type VerifySite } from '../helpers/verify/site.js';
import { releaseStamp } from '../../src/dolibarr/layout.js';

/**
 * `verify` against a site the install pipeline deployed (fixture release, real MariaDB, PHP-FPM, nginx,
 * Chromium, SMTP sink). Then things are broken for real and the check must fail with the right message.
 */
let site: VerifySite;
let full: VerificationOutcome;

beforeAll(async () => {
  site = await startVerifySite();
  full = await runVerification(site.context());
}, 240_000);

afterAll(() => site?.stop());

const item = (o: VerificationOutcome, id: string) => o.items.find((i) => i.id === id)!;
const only = (ids: string[]) => runVerification(site.context(), { only: ids, checks: allChecks });

describe('verify on a healthy deployment', () => {
  it('passes the functional checklist: login (HTTP, Chromium, planned user), dashboard, workflows, search, export, upload, email', () => {
    for (const id of [
      'verify.login',
      'verify.dashboard',
      'verify.workflows',
      'verify.search',
      'verify.export',
      'verify.uploads',
      'verify.email',
    ]) {
      expect(item(full, id), id).toMatchObject({ status: 'pass' });
    }
    expect(item(full, 'verify.login').observed).toMatch(/logged in with Chromium/);
    expect(item(full, 'verify.login').observed).toMatch(/alice logged in; rights societe\.lire/);
    expect(item(full, 'verify.workflows').observed).toMatch(/database at 22\.0\.2 = release 22\.0\.2/);
    expect(item(full, 'verify.workflows').observed).toMatch(
      /enabled: modSociete, modProduct, modCron, modApi/,
    );
    expect(item(full, 'verify.export').observed).toMatch(/export_societe_1\.csv/);
  });

  it('sent the test mail through Dolibarr to the SMTP sink', () => {
    const mail = site.mails.find((m) => /mokodeploy verification acme/.test(m.subject ?? ''));
    expect(mail?.to && 'text' in mail.to ? mail.to.text : '').toBe('qa@acme.test');
    expect(mail?.from?.text).toBe('crm@acme.test');
  });

  it('removed its test data', async () => {
    const rows = await site.sql(
      "SELECT (SELECT COUNT(*) FROM llx_societe WHERE nom LIKE 'MOKOVERIFY%') + (SELECT COUNT(*) FROM llx_product WHERE ref LIKE 'MOKOVERIFY%') + (SELECT COUNT(*) FROM llx_socpeople WHERE lastname LIKE 'MOKOVERIFY%')",
    );
    expect(rows[0]![0]).toBe('0');
  });

  it('passes security items the site controls, grades headers, and says what is missing on this machine', () => {
    for (const id of [
      'verify.tls',
      'verify.permissions',
      'verify.database-access',
      'verify.page-load',
      'verify.error-logs',
      'verify.caching',
    ]) {
      expect(item(full, id), id).toMatchObject({ status: 'pass' });
    }
    expect(item(full, 'verify.headers')).toMatchObject({ status: 'warn' });
    expect(item(full, 'verify.headers').observed).toMatch(/grade A \(90\/100\)/);
    expect(item(full, 'verify.admin-account')).toMatchObject({ status: 'warn' });
    expect(item(full, 'verify.admin-account').observed).toMatch(/refused 6 common passwords/);
    expect(item(full, 'verify.backup-jobs')).toMatchObject({ status: 'fail' });
    expect(item(full, 'verify.backup-jobs').detail).toMatch(/schedule `mokodeploy backup acme/);
    expect(item(full, 'verify.page-load').observed).toMatch(
      /median \d+\.\d\d s, p95 \d+\.\d\d s over 3 loads/,
    );
    expect(item(full, 'verify.cdn')).toMatchObject({ status: 'skip' });
  });

  it('has Dolibarr build a real PDF of a temporary proposal (builddoc), finds it in the documents directory, removes it', async () => {
    const r = item(full, 'verify.reports');
    expect(r).toMatchObject({ status: 'pass' });
    expect(r.observed).toMatch(
      /\[reports\.pdf\] proposal \(PROV\d+\) \(template azur\): \d+ bytes PDF built and stored in \S+\/propale\/\(PROV\d+\)\/\(PROV\d+\)\.pdf/,
    );
    expect(r.observed).toMatch(/\[reports\.cleanup\] test proposal and its PDF removed/);
    const rows = await site.sql(
      "SELECT (SELECT COUNT(*) FROM llx_propal) + (SELECT COUNT(*) FROM llx_societe WHERE nom LIKE 'MOKOVERIFY%')",
    );
    expect(rows[0]![0]).toBe('0');
    expect(readdirSync(join(site.stack.plan.target.dataRoot, 'propale'))).toEqual([]);
  });

  it('passes the backup item once a scheduled backup has written a file', async () => {
    const { stack } = site;
    writeFileSync(
      join(stack.dir, 'cron.d', 'mokocrm-acme-backup'),
      `0 2 * * * root mokodeploy backup ${stack.plan.id ?? stack.plan.client} # ${stack.plan.target.backupRoot}\n`,
    );
    const stamp = releaseStamp(new Date()); // the backup's age is its stamp's (issue 23)
    mkdirSync(join(stack.plan.target.backupRoot, stamp), { recursive: true });
    writeFileSync(join(stack.plan.target.backupRoot, stamp, 'SHA256SUMS'), `${'0'.repeat(64)}  x\n`);
    const o = await only(['backups']);
    expect(item(o, 'verify.backup-jobs')).toMatchObject({ status: 'pass' });
    expect(o.items).toHaveLength(1); // a partial run records only what it looked at
  });
});

describe('verify after breaking the site', () => {
  it('fails the headers item when the site stops sending Content-Security-Policy, and says what to add', async () => {
    const dir = site.stack.plan.target.webConfigDir!;
    const file = join(
      dir,
      readdirSync(dir).find((f) => f.endsWith('.conf'))!,
    );
    const original = readFileSync(file, 'utf8');
    try {
      writeFileSync(file, original.replace(/^\s*add_header Content-Security-Policy .*$/m, ''));
      reloadNginx(site.stack);
      await new Promise((r) => setTimeout(r, 500));
      const h = item(await only(['headers']), 'verify.headers');
      expect(h.status).toBe('fail');
      expect(h.observed).toMatch(/Content-Security-Policy missing/);
      expect(h.detail).toMatch(/add add_header Content-Security-Policy "default-src 'self'; .*" always;/);
    } finally {
      writeFileSync(file, original);
      reloadNginx(site.stack);
    }
  });

  it('fails the permissions item when conf.php is writable', async () => {
    const conf = join(site.stack.plan.target.root, 'shared', 'conf', 'conf.php');
    chmodSync(conf, 0o666);
    try {
      const p = item(await only(['permissions']), 'verify.permissions');
      expect(p.status).toBe('fail');
      expect(p.detail).toMatch(/conf\.php is writable by www-data: chmod 0440/);
      expect(p.observed).toMatch(
        /conf\.php 0666 root:www-data \(world-writable, world-readable, writable by www-data\)/,
      );
    } finally {
      chmodSync(conf, 0o440);
    }
  });

  it('fails the page-load item when the home page takes over 2 s', async () => {
    const index = join(site.stack.plan.target.root, 'current', 'htdocs', 'index.php');
    const original = readFileSync(index, 'utf8');
    try {
      writeFileSync(index, original.replace('<?php\n', '<?php\nusleep(2100000);\n'));
      await new Promise((r) => setTimeout(r, 2500)); // opcache revalidates after revalidate_freq (2 s)
      const o = await runVerification(site.context({ loads: 2 }), { only: ['page-load'] });
      const p = item(o, 'verify.page-load');
      expect(p.status).toBe('fail');
      expect(p.detail).toMatch(/\[page-load\.\/index\.php\] p95 2\.\d\d s is over the policy's 2 s/);
    } finally {
      writeFileSync(index, original);
    }
  }, 90_000);

  it('fails the queries item when a query on the client database is slow, from the slow-query log', async () => {
    const log = join(site.stack.db.dir, 'slow.log');
    await site.stack.db.rootClient.query(
      `SET GLOBAL slow_query_log_file = '${log}'; SET GLOBAL long_query_time = 0.2; SET GLOBAL slow_query_log = 1`,
    );
    try {
      await site.sql('SELECT SLEEP(0.4)');
      const q = item(await only(['queries']), 'verify.queries');
      expect(q.status).toBe('fail');
      expect(q.observed).toMatch(
        /1 slow queries \(> 0\.2\d* s\) on acme_crm in \S+slow\.log, slowest 0\.4\d s/,
      );
      expect(q.detail).toMatch(/add the missing indexes/);
    } finally {
      await site.stack.db.rootClient.query('SET GLOBAL slow_query_log = 0');
    }
  });

  it('builds an invoice PDF instead when proposals are off and invoices on (modulepart facture)', async () => {
    await site.sql("UPDATE llx_const SET value = '0' WHERE name = 'MAIN_MODULE_PROPALE'");
    await site.sql(
      "INSERT INTO llx_const (name, entity, value, type, visible) VALUES ('MAIN_MODULE_FACTURE', 1, '1', 'string', 0)",
    );
    try {
      const r = item(await only(['reports']), 'verify.reports');
      expect(r.status, r.observed).toBe('pass');
      expect(r.observed).toMatch(
        /\[reports\.pdf\] invoice \(PROV\d+\) \(template crabe\): \d+ bytes PDF built and stored in \S+\/facture\/\(PROV\d+\)\/\(PROV\d+\)\.pdf/,
      );
      expect(r.observed).toMatch(/\[reports\.cleanup\] test invoice and its PDF removed/);
      expect((await site.sql('SELECT COUNT(*) FROM llx_facture'))[0]![0]).toBe('0');
    } finally {
      await site.sql("DELETE FROM llx_const WHERE name = 'MAIN_MODULE_FACTURE'");
      await site.sql("UPDATE llx_const SET value = '1' WHERE name = 'MAIN_MODULE_PROPALE'");
    }
  });

  it('fails the reports item when Dolibarr cannot write the PDF, and removes the test proposal', async () => {
    const dir = join(site.stack.plan.target.dataRoot, 'propale');
    rmSync(dir, { recursive: true, force: true });
    writeFileSync(dir, 'not a directory'); // as a full disk or a wrong data root: the PDF cannot be written
    try {
      const r = item(await only(['reports']), 'verify.reports');
      expect(r.status).toBe('fail');
      expect(r.observed).toMatch(
        /Dolibarr did not build the proposal PDF: PUT \/documents\/builddoc: HTTP 500 Error generating document/,
      );
      expect(r.detail).toMatch(/propale is a directory writable by www-data/);
      const rows = await site.sql('SELECT COUNT(*) FROM llx_propal');
      expect(rows[0]![0]).toBe('0');
    } finally {
      rmSync(dir, { force: true });
      mkdirSync(dir);
      chownSync(dir, 33, 33);
    }
  });

  it("uses Dolibarr's forms and documents tab in Chromium for the workflows while the REST API module is off; reports fail saying how to fix", async () => {
    await site.sql(
      "UPDATE llx_const SET name = 'MOKOTEST_OFF_MAIN_MODULE_API' WHERE name = 'MAIN_MODULE_API'",
    );
    try {
      const o = await only(['workflows', 'reports']);
      const w = item(o, 'verify.workflows');
      expect(w, JSON.stringify(w)).toMatchObject({ status: 'pass' });
      expect(w.observed).toMatch(
        /\[workflows\.create\] created through Dolibarr's forms in Chromium and read back third party #\d+, contact #\d+, product #\d+/,
      );
      expect(w.observed).toMatch(/\[workflows\.cleanup\] test data MOKOVERIFY\d+ removed/);
      expect(item(o, 'verify.search')).toMatchObject({ status: 'pass' });
      expect(item(o, 'verify.export')).toMatchObject({ status: 'pass' });
      const up = item(o, 'verify.uploads');
      expect(up, JSON.stringify(up)).toMatchObject({ status: 'pass' });
      expect(up.observed).toMatch(
        /mokodeploy-verify\.txt \(\d+ bytes\) uploaded with \/societe\/document\.php\?socid=\d+ in Chromium and downloaded identical/,
      );
      const societeDir = join(site.stack.plan.target.dataRoot, 'societe');
      const leftFiles = readdirSync(societeDir, { recursive: true }).filter((f) =>
        String(f).endsWith('mokodeploy-verify.txt'),
      );
      expect(leftFiles).toEqual([]);
      expect(item(o, 'verify.reports')).toMatchObject({ status: 'fail' });
      expect(item(o, 'verify.reports').detail).toMatch(/modApi/);
      const rows = await site.sql(
        "SELECT (SELECT COUNT(*) FROM llx_societe WHERE nom LIKE 'MOKOVERIFY%') + (SELECT COUNT(*) FROM llx_product WHERE ref LIKE 'MOKOVERIFY%') + (SELECT COUNT(*) FROM llx_socpeople WHERE lastname LIKE 'MOKOVERIFY%')",
      );
      expect(rows[0]![0]).toBe('0');
    } finally {
      await site.sql(
        "UPDATE llx_const SET name = 'MAIN_MODULE_API' WHERE name = 'MOKOTEST_OFF_MAIN_MODULE_API'",
      );
    }
  }, 120_000);

  it('finds the third-party form fields from the form: no customer/prospect select (prospects and customers disabled), then Prospect only', async () => {
    // FormCompany::selectProspectCustomerType() prints no select under both constants (html.formcompany.class.php
    // l.1059-1061, 20.0.2) and no Customer option under SOCIETE_DISABLE_CUSTOMERS (l.1080)
    await site.sql(
      "UPDATE llx_const SET name = 'MOKOTEST_OFF_MAIN_MODULE_API' WHERE name = 'MAIN_MODULE_API'; INSERT INTO llx_const (name, entity, value, type, visible) VALUES ('SOCIETE_DISABLE_PROSPECTS', 1, '1', 'chaine', 0), ('SOCIETE_DISABLE_CUSTOMERS', 1, '1', 'chaine', 0)",
    );
    try {
      let o = await only(['workflows']);
      expect(item(o, 'verify.workflows'), JSON.stringify(item(o, 'verify.workflows'))).toMatchObject({
        status: 'pass',
      });
      expect(item(o, 'verify.workflows').observed).toMatch(/created through Dolibarr's forms in Chromium/);
      await site.sql("DELETE FROM llx_const WHERE name = 'SOCIETE_DISABLE_PROSPECTS'");
      o = await only(['workflows']);
      expect(item(o, 'verify.workflows')).toMatchObject({ status: 'pass' });
    } finally {
      await site.sql(
        "DELETE FROM llx_const WHERE name IN ('SOCIETE_DISABLE_PROSPECTS', 'SOCIETE_DISABLE_CUSTOMERS'); UPDATE llx_const SET name = 'MAIN_MODULE_API' WHERE name = 'MOKOTEST_OFF_MAIN_MODULE_API'",
      );
    }
  }, 180_000);

  it('says the forms path failed, and where, when the third-party form refuses the record', async () => {
    await site.sql(
      "UPDATE llx_const SET name = 'MOKOTEST_OFF_MAIN_MODULE_API' WHERE name = 'MAIN_MODULE_API'",
    );
    const card = join(site.stack.plan.target.root, 'current', 'htdocs', 'societe', 'card.php');
    const original = readFileSync(card, 'utf8');
    try {
      // the page refuses every new third party (ErrorFieldRequired) and shows the form again
      const broken = original.replace(
        "if (trim((string) (isset($_POST[$f]) ? $_POST[$f] : '')) === '') {",
        'if (true) {',
      );
      expect(broken).not.toBe(original);
      writeFileSync(card, broken);
      await new Promise((r) => setTimeout(r, 2500)); // OPcache revalidates after revalidate_freq (2 s)
      const o = await only(['workflows']);
      expect(item(o, 'verify.workflows')).toMatchObject({ status: 'fail' });
      expect(item(o, 'verify.workflows').detail).toMatch(
        /societe\/card\.php: the thirdparty was not created \(\S+societe\/card\.php: ErrorFieldRequired name/,
      );
      expect(item(o, 'verify.search')).toMatchObject({ status: 'skip' });
    } finally {
      writeFileSync(card, original);
      await site.sql(
        "UPDATE llx_const SET name = 'MAIN_MODULE_API' WHERE name = 'MOKOTEST_OFF_MAIN_MODULE_API'",
      );
    }
  }, 120_000);

  it('fails the login and dashboard items in Chromium when the admin password is wrong', async () => {
    const ctx = site.context();
    const wrong = {
      ...ctx,
      plan: { ...ctx.plan, admin: { ...ctx.plan.admin, password: { secret: 'acme/not-the-admin' } } },
    };
    const o = await runVerification(wrong, { only: ['browser-login'] });
    expect(item(o, 'verify.login')).toMatchObject({ status: 'fail' });
    expect(item(o, 'verify.login').detail).toMatch(/ErrorBadLoginPassword/);
    expect(item(o, 'verify.dashboard').detail).toMatch(/the login failed first/);
  });
});
