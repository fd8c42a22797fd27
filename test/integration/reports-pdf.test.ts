import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/core/record.js';
import { LocalHost } from '../../src/hosts/local.js';
import { gatherHandoff } from '../../src/reports/handoff-data.js';
import { renderHandoff } from '../../src/reports/handoff.js';
import { renderSignoffDocument } from '../../src/reports/signoff-doc.js';
import { renderDeploymentReport } from '../../src/reports/deployment-report.js';
import { writeDocument } from '../../src/reports/write.js';
import { runVerification } from '../../src/verify/run.js';
import { act, policy } from '../helpers/records.js';
import { recordPlan, verifyingRecord } from '../helpers/verify/record.js';
import { startVerifySite, type VerifySite } from '../helpers/verify/site.js';

/**
 * The handoff pack, the sign-off document and the deployment report for a deployed fixture site, printed to PDF
 * by Chromium; checked by extracting the text (pdftotext) and rendering pages to PNG (pdftoppm).
 */
let site: VerifySite;
let record: DeploymentRecord;
const out = mkdtempSync(join(tmpdir(), 'moko-reports-'));
const now = new Date();

/** The PDF's text in reading order, whitespace (table cell wraps, line ends) folded to single spaces. */
const pdfText = (pdf: string) =>
  execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
const pages = (pdf: string) =>
  Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);

beforeAll(async () => {
  site = await startVerifySite();
  record = verifyingRecord(recordPlan(site.stack.plan, {}, now), now);
  const o = await runVerification(site.context(), {
    only: ['login-http', 'headers', 'permissions', 'caching'],
  });
  record = act(record, 'record-verification', { source: 'automated', results: o.items }, 'quinn', now);
  record = act(
    record,
    'issue-open',
    { title: 'Export menu missing for sales group', severity: 'minor' },
    'quinn',
    now,
  );
  record = act(
    record,
    'issue-resolve',
    { id: 1, resolution: 'granted export rights to the group' },
    'tina',
    new Date(now.getTime() + 2 * 3_600_000),
  );
  record = act(
    record,
    'lesson',
    { text: 'Ask for the SMTP relay address a week before the window', tags: ['email'] },
    'tina',
    now,
  );
}, 240_000);

afterAll(async () => {
  await site?.stop();
  if (!process.env.MOKO_KEEP_REPORTS) execFileSync('rm', ['-rf', out]);
});

describe('handoff pack', () => {
  let pdf: string;
  beforeAll(async () => {
    const ctx = site.context();
    const data = await gatherHandoff({
      record,
      host: new LocalHost(),
      db: ctx.db,
      now,
      contacts: [{ role: 'technical-lead', login: 'tina', name: 'Tina Tech', email: 'tina@mokocrm.test' }],
    });
    await ctx.db.dispose();
    const written = await writeDocument(out, 'handoff', renderHandoff(data, policy), {
      pdf: true,
      footer: 'ACME SARL handoff',
    });
    pdf = written.pdf!;
  }, 120_000);

  it('holds every system and operational deliverable with the client specifics', () => {
    const text = pdfText(pdf);
    for (const heading of [
      'Deployment summary',
      'System architecture diagram',
      'Server specifications',
      'Database schema',
      'Custom modules documentation',
      'Integration documentation',
      'Admin user guide',
      'User management procedures',
      'Backup procedures',
      'Update procedures',
      'Troubleshooting guide',
      'Support contact information',
    ]) {
      expect(text, heading).toContain(heading);
    }
    expect(text).toContain(site.stack.plan.site.url);
    expect(text).toContain(`mariadb-dump --single-transaction --routines --triggers acme_crm`);
    expect(text).toContain(`mokodeploy backup acme-2026-11`);
    expect(text).toContain('Tina Tech');
  });

  it('documents the live database schema and the deployed custom module from its descriptor', () => {
    const text = pdfText(pdf);
    expect(text).toMatch(/llx_societe/);
    expect(text).toMatch(/code_client varchar\(24\)/);
    expect(text).toMatch(/mokoinvoice modMokoInvoice 1\.4\.2 500100 8\.1 20\.0/);
  });

  it('draws the architecture diagram (SVG) and prints pages that render', () => {
    const text = pdfText(pdf);
    expect(text).toContain('PHP-FPM pool mokocrm-acme');
    expect(text).toContain('MariaDB acme_crm');
    expect(pages(pdf)).toBeGreaterThanOrEqual(4);
    execFileSync('pdftoppm', ['-png', '-r', '40', '-f', '1', '-l', '3', pdf, join(out, 'handoff-page')]);
    const pngs = readdirSync(out).filter((f) => f.startsWith('handoff-page') && f.endsWith('.png'));
    expect(pngs.length).toBe(3);
    for (const png of pngs) expect(statSync(join(out, png)).size).toBeGreaterThan(5_000);
  });
});

describe('sign-off document and deployment report', () => {
  it('shows what each sign-off needs, what is missing and how to give it', async () => {
    const w = await writeDocument(out, 'signoff', renderSignoffDocument(record, policy, now), {
      pdf: true,
      footer: 'sign-off',
    });
    const text = pdfText(w.pdf!);
    for (const kind of ['Technical Sign-Off', 'Go-live authorisation', 'Client Sign-Off'])
      expect(text).toContain(kind);
    expect(text).toContain('mokodeploy signoff acme-2026-11 technical');
    expect(text).toMatch(/not passed: verify\.dashboard/);
    expect(text).toContain('Name, role');
  });

  it('reports timeline, metrics, issues with time to resolution, and lessons learned', async () => {
    const w = await writeDocument(out, 'report', renderDeploymentReport(record, policy, now), {
      pdf: true,
      footer: 'report',
    });
    const text = pdfText(w.pdf!);
    expect(text).toMatch(/approved/);
    expect(text).toMatch(/Deployment duration 1\.58 min/);
    expect(text).toMatch(/Export menu missing for sales group/);
    expect(text).toMatch(/2\.0/);
    expect(text).toContain('Ask for the SMTP relay address');
    expect(existsSync(w.html)).toBe(true);
  });
});
