/**
 * End-to-end verification of a real Dolibarr installed by scripts/e2e.ts (issue 6): the whole post-deployment
 * checklist (src/verify) against the live site — login over HTTP and in Chromium, workflows, search, export,
 * upload and a PDF built by Dolibarr through its REST API, a test mail through Dolibarr into a local SMTP sink,
 * TLS, headers, permissions, timings, logs — then the results recorded on a deployment record and the handoff
 * pack, sign-off document and deployment report written as HTML and PDF (Chromium), their text checked with
 * pdftotext. Prints one line per check and per document.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ParsedMail } from 'mailparser';
import type { Host } from '../src/hosts/host.js';
import { LocalHost } from '../src/hosts/local.js';
import { makeVerifyContext } from '../src/verify/context.js';
import { runVerification } from '../src/verify/run.js';
import { checkLine } from '../src/verify/format.js';
import { DbClient } from '../src/verify/db-query.js';
import { gatherHandoff } from '../src/reports/handoff-data.js';
import { renderHandoff } from '../src/reports/handoff.js';
import { renderSignoffDocument } from '../src/reports/signoff-doc.js';
import { renderDeploymentReport } from '../src/reports/deployment-report.js';
import { writeDocument } from '../src/reports/write.js';
import type { InstallStack } from '../test/helpers/install-stack/index.js';
import { act } from '../test/helpers/records.js';
import { recordPlan, verifyingRecord } from '../test/helpers/verify/record.js';
import { startSmtpSink, verifyOptionsFor } from '../test/helpers/verify/site.js';

const line = (label: string, text: string) => console.log(`${label.padEnd(12)} ${text}`);

/** Returns the functional items (what Dolibarr itself does) that did not pass. */
export async function e2eVerify(stack: InstallStack, o: { keep: boolean; host?: Host }): Promise<string[]> {
  const mails: ParsedMail[] = [];
  const smtp = await startSmtpSink(mails);
  const db = stack.plan.database.name;
  await stack.db.rootClient.query(
    `UPDATE \`${db}\`.llx_const SET value = '${smtp.port}' WHERE name = 'MAIN_MAIL_SMTP_PORT'`,
  );
  // the plan's smtpHost 127.0.0.1 was written as localhost by the install (configure-email.ts): Dolibarr refuses 127.x
  // the target as the install reached it (a LocalHost, or the deploy user over SSH: e2e --ssh, issue 25)
  const host = o.host ?? new LocalHost();
  const now = new Date();
  try {
    const ctxInput = {
      plan: stack.plan,
      policy: stack.ctx.policy,
      host,
      now,
      secret: (n: string) => stack.secrets.secret(n),
      options: verifyOptionsFor(stack, 5),
    };
    const ctx = makeVerifyContext(ctxInput);
    console.log('verify:');
    const outcome = await runVerification(ctx, { onResult: (r) => console.log(checkLine(r)) });
    line('verify', `${outcome.items.length} items in ${(outcome.durationMs / 1000).toFixed(1)} s`);
    const counts = new Map<string, number>();
    for (const c of outcome.checks) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
    line('checks', [...counts].map(([s, n]) => `${s} ${n}`).join(', '));
    for (const c of outcome.checks.filter((x) => x.status !== 'pass'))
      line('not ok', `${c.status} ${c.check}: ${c.observed}${c.detail ? ` (${c.detail})` : ''}`);
    for (const i of outcome.items) line('', `${i.status.padEnd(4)} ${i.id}`);
    // the workflows again with module Api off: Dolibarr's own forms in Chromium (src/verify/ui-records.ts)
    const q = (sql: string) => stack.db.rootClient.query(`USE \`${db}\`; ${sql}`);
    await q("UPDATE llx_const SET name = 'E2E_OFF_MAIN_MODULE_API' WHERE name = 'MAIN_MODULE_API'");
    let noApi: Awaited<ReturnType<typeof runVerification>>;
    try {
      console.log('verify without the REST API (module Api off):');
      noApi = await runVerification(makeVerifyContext({ ...ctxInput, now: new Date() }), {
        only: ['workflows'],
        onResult: (r) => console.log(checkLine(r)),
      });
      for (const i of noApi.items) line('', `${i.status.padEnd(4)} ${i.id}`);
      const left = await q(
        "SELECT (SELECT COUNT(*) FROM llx_societe WHERE nom LIKE 'MOKOVERIFY%') + (SELECT COUNT(*) FROM llx_product WHERE ref LIKE 'MOKOVERIFY%') + (SELECT COUNT(*) FROM llx_socpeople WHERE lastname LIKE 'MOKOVERIFY%')",
      );
      line('left', `${left[0]?.[0]} test rows in the database after both runs`);
    } finally {
      await q("UPDATE llx_const SET name = 'MAIN_MODULE_API' WHERE name = 'E2E_OFF_MAIN_MODULE_API'");
    }
    // the PDF again with proposals off: the invoice path (modulepart facture, src/verify/report-doc.ts)
    await q("UPDATE llx_const SET name = 'E2E_OFF_MAIN_MODULE_PROPALE' WHERE name = 'MAIN_MODULE_PROPALE'");
    try {
      console.log('verify reports with proposals off (invoices):');
      const invoices = await runVerification(makeVerifyContext({ ...ctxInput, now: new Date() }), {
        only: ['reports'],
        onResult: (r) => console.log(checkLine(r)),
      });
      for (const i of invoices.items) line('', `${i.status.padEnd(4)} ${i.id}`);
    } finally {
      await q("UPDATE llx_const SET name = 'MAIN_MODULE_PROPALE' WHERE name = 'E2E_OFF_MAIN_MODULE_PROPALE'");
    }
    const mail = mails.find((m) => /mokodeploy verification/.test(m.subject ?? ''));
    line(
      'mail',
      mail ? `received "${mail.subject}" from ${mail.from?.text}` : 'NOT received by the SMTP sink',
    );
    const record = act(
      verifyingRecord(recordPlan(stack.plan, {}, now), now),
      'record-verification',
      { source: 'automated', results: outcome.items },
      'quinn',
      now,
    );
    const out = o.keep ? join(stack.dir, 'reports') : mkdtempSync(join(tmpdir(), 'moko-e2e-reports-'));
    const dbc = new DbClient(host, stack.plan.database, () =>
      stack.secrets.secret(stack.plan.database.password.secret),
    );
    const policy = stack.ctx.policy;
    const handoff = renderHandoff(await gatherHandoff({ record, host, db: dbc, now, contacts: [] }), policy);
    await dbc.dispose();
    const docs: [string, string][] = [
      ['handoff', handoff],
      ['signoff', renderSignoffDocument(record, policy, now)],
      ['deployment', renderDeploymentReport(record, policy, now)],
    ];
    for (const [kind, html] of docs) {
      const w = await writeDocument(out, `${record.id}-${kind}`, html, {
        pdf: true,
        footer: `${record.plan.clientName} · ${record.id} · ${kind}`,
      });
      const pages = /Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [w.pdf!], { encoding: 'utf8' }))?.[1];
      const text = execFileSync('pdftotext', [w.pdf!, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      const version = text.includes(String(stack.ctx.facts.releaseVersion))
        ? 'names the version'
        : 'LACKS the version';
      line('report', `${kind}: ${w.pdf} (${pages} pages; ${version})`);
    }
    if (!o.keep) execFileSync('rm', ['-rf', out]);
    const functional = new Set(policy.verification.functional.map((i) => i.id));
    return [
      ...new Set(
        [...outcome.checks, ...noApi.checks]
          .filter((c) => functional.has(c.item) && c.status !== 'pass')
          .map((c) => `${c.item} [${c.check}] (${c.status})`),
      ),
    ];
  } finally {
    await smtp.stop();
  }
}
