import { describe, expect, it } from 'vitest';
import { documentKinds, pdfProblems } from '../../../src/verify/report-doc.js';
import { lastUpgrade } from '../../../src/verify/respond.js';
import type { DeploymentRecord } from '../../../src/core/record.js';

const pdf = (body: string) =>
  Buffer.from(`%PDF-1.4\n1 0 obj\n<< /Type /Page >>\nendobj\n${body}%%EOF\n`, 'latin1');

describe('pdfProblems', () => {
  it('accepts a PDF with a page and a trailer', () => {
    expect(pdfProblems(pdf('trailer\n'))).toEqual([]);
  });
  it('names what is wrong: empty, not a PDF, truncated, no page', () => {
    expect(pdfProblems(Buffer.alloc(0))).toEqual(['the answer carried no file']);
    expect(pdfProblems(Buffer.from('<html>error</html>%%EOF'))[0]).toMatch(
      /does not start with %PDF- \(starts with "<html>error/,
    );
    expect(pdfProblems(pdf('').subarray(0, 30))).toContain('has no %%EOF trailer (truncated?)');
    expect(pdfProblems(Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF'))).toEqual([
      'has no page',
    ]);
  });
});

describe('document kinds', () => {
  it('build with the moduleparts dol_check_secure_access_document() accepts (propal, facture), proposals first', () => {
    expect(documentKinds.map((k) => [k.constName, k.modulepart, k.dir])).toEqual([
      ['MAIN_MODULE_PROPALE', 'propal', 'propale'],
      ['MAIN_MODULE_FACTURE', 'facture', 'facture'],
    ]);
  });
});

describe('lastUpgrade (what an automatic rollback goes back to)', () => {
  const rec = (facts: Record<string, unknown>) => ({ facts }) as unknown as DeploymentRecord;
  it('reads the release and backup where `mokodeploy upgrade` records them', () => {
    expect(
      lastUpgrade(
        rec({ upgrade: { previousRelease: '19.0.4-20261127', backupStamp: '20261127120000', steps: [] } }),
      ),
    ).toEqual({ previousRelease: '19.0.4-20261127', backupStamp: '20261127120000' });
    expect(lastUpgrade(rec({ lastFailedUpgrade: { previousRelease: 'a', backupStamp: 'b' } }))).toEqual({
      previousRelease: 'a',
      backupStamp: 'b',
    });
  });
  it('has nothing for a fresh install or facts at the top level only', () => {
    expect(lastUpgrade(rec({}))).toBeUndefined();
    expect(lastUpgrade(rec({ previousRelease: 'a', backupStamp: 'b' }))).toBeUndefined();
  });
});
