import { describe, expect, it } from 'vitest';
import { createDeployment } from '../../src/core/create.js';
import { evaluateGates } from '../../src/core/gates.js';
import { perform } from '../../src/core/perform.js';
import { operations } from '../../src/core/operations/index.js';
import type { DeploymentRecord } from '../../src/core/record.js';
import { parseFileList, scannedByFileCheck } from '../../src/package/filelist.js';
import { failedFiles, targetPackage } from '../../src/package/target-commands.js';
import { renderHandoff } from '../../src/reports/handoff.js';
import { people, plan, policy } from '../helpers/records.js';

/** Issue 22, the pure parts: Dolibarr's file list, what filecheck.php scans, the approval of a package, the pack. */
const xml = `<?xml version="1.0" encoding="UTF-8" ?>
<checksum_list version="20.0.2" date="2024-11-13T14:52:02Z" generator="generate_filelist_xml.php">
<dolibarr_htdocs_dir includecustom="0">
  <dir name="/accountancy/admin">
    <md5file name="account.php" size="32186">4933ae45a04a60a049e7ce8d9579bb95</md5file>
  </dir>
  <dir name="" >
    <md5file name="index.php" size="10">a4d5d574a8a82f794230fc0eeb429ee8</md5file>
  </dir>
</dolibarr_htdocs_dir>
<dolibarr_htdocs_dir_checksum>
0123456789abcdef0123456789abcdef
</dolibarr_htdocs_dir_checksum>
<dolibarr_script_dir version="20.0.2">
  <dir name="/website" >
    <md5file name="regenerate-pages.php" size="3455">6bb9e5853667c7c1f9330df034b063fa</md5file>
  </dir>
</dolibarr_script_dir>
</checksum_list>
`;

describe("Dolibarr's file list", () => {
  it('reads htdocs and scripts entries (lines as build/generate_filelist_xml.php writes them)', () => {
    const list = parseFileList(xml);
    expect(list.version).toBe('20.0.2');
    expect([...list.files.keys()]).toEqual([
      'htdocs/accountancy/admin/account.php',
      'htdocs/index.php',
      'scripts/website/regenerate-pages.php',
    ]);
    expect(list.files.get('htdocs/accountancy/admin/account.php')).toEqual({ md5: '4933ae45a04a60a049e7ce8d9579bb95', size: 32186 });
  });

  it('refuses what is not a file list, or a listed path leaving the release', () => {
    expect(() => parseFileList('<html></html>')).toThrow(/not a Dolibarr file list/);
    expect(() => parseFileList(xml.replace('name="/accountancy/admin"', 'name="/../../etc"'))).toThrow(/leaves the release/);
    expect(() => parseFileList(xml.replace('<md5file name="index.php" size="10">', '<md5file name="index.php" size="x">'))).toThrow(/filelist.xml:8: unreadable/);
  });

  it("scans for added files as filecheck.php does: custom/, conf/, install/, documents/ and dotfiles are not looked at", () => {
    expect(scannedByFileCheck('htdocs/shell.php', false)).toBe(true);
    expect(scannedByFileCheck('htdocs/theme/eldy/img/x.png', false)).toBe(true);
    expect(scannedByFileCheck('htdocs/custom/mymodule/x.php', false)).toBe(false);
    expect(scannedByFileCheck('htdocs/custom/mymodule/x.php', true)).toBe(true);
    expect(scannedByFileCheck('htdocs/conf/conf.php', false)).toBe(false);
    expect(scannedByFileCheck('htdocs/install/step1.php', false)).toBe(false);
    expect(scannedByFileCheck('htdocs/.well-known/x.php', false)).toBe(false);
    expect(scannedByFileCheck('htdocs/public/test/x.php', false)).toBe(false);
    expect(scannedByFileCheck('htdocs/README', false)).toBe(false); // no listed extension
    expect(scannedByFileCheck('scripts/cron/x.php', false)).toBe(false);
  });

  it("names the files sha256sum --check reports", () => {
    const p = targetPackage('/var/www/acme', 'a'.repeat(64));
    const out = `${p.dir}/release/dolibarr-20.0.2.tgz: FAILED\n${p.dir}/modules/x/a.php: FAILED open or read\n`;
    expect(failedFiles(out, p)).toEqual(['release/dolibarr-20.0.2.tgz', 'modules/x/a.php']);
  });
});

const pkg = {
  hash: 'b'.repeat(64),
  files: 3,
  bytes: 2048,
  release: { file: 'release/dolibarr-20.0.2.tgz', sha256: 'c'.repeat(64), version: '20.0.2', fileCheck: { listed: 10, missing: [], changed: [], added: [] } },
  modules: [{ name: 'mokotest', files: 2, origin: '/srv/modules/mokotest' }],
  data: [],
  config: ['config/conf.php'],
  origins: [{ path: 'release/dolibarr-20.0.2.tgz', from: 'https://example.test/dolibarr-20.0.2.tgz', sha256: 'c'.repeat(64) }],
};
const now = new Date('2026-12-01T10:00:00Z');
const act = (r: DeploymentRecord, op: keyof typeof operations, input: unknown, who: string) =>
  perform(operations[op], r, input, { policy, now, actor: people[who]!, warnings: [] }).record;

describe('the approval binds the package', () => {
  const submitted = createDeployment(plan(), { policy, actor: people.tina!, now, submit: true });

  it('approve records the package hash; a new package voids the approval; the gate names a package change', () => {
    const approved = act(act(submitted, 'record-package', pkg, 'tina'), 'approve', {}, 'dave');
    expect(approved.approval?.packageHash).toBe(pkg.hash);
    const other = act(approved, 'record-package', { ...pkg, hash: 'd'.repeat(64) }, 'tina');
    expect(other.state).toBe('submitted');
    expect(other.checklist['plan-approved']?.ticked).toBe(false);
    const open = evaluateGates({ ...other, state: 'approved' }, 'ready', { policy, now }).open;
    expect(open.find((g) => g.gate === 'plan-approved')?.message).toMatch(/package changed after it was approved: dddddddddddd is not the approved bbbbbbbbbbbb/);
  });

  it('a release that differs from its file list is refused unless a deployment manager accepted it', () => {
    const differs = { ...pkg, release: { ...pkg.release, fileCheck: { ...pkg.release.fileCheck, changed: ['htdocs/index.php'] } } };
    expect(() => act(submitted, 'record-package', differs, 'tina')).toThrow(/does not match Dolibarr's file list/);
    const input = { releaseSha256: pkg.release.sha256, reason: 'client patch reviewed', findings: ['changed: htdocs/index.php'] };
    expect(() => act(submitted, 'package-exception', input, 'tina')).toThrow(/plan.approve/);
    const accepted = act(submitted, 'package-exception', input, 'dave');
    expect(act(accepted, 'record-package', differs, 'tina').package?.hash).toBe(pkg.hash);
  });

  it('the handoff pack lists the package: hash, contents, origin', () => {
    const record = act(act(submitted, 'record-package', pkg, 'tina'), 'approve', {}, 'dave');
    const html = renderHandoff({ record, generatedAt: now.toISOString(), modules: [], contacts: [] }, policy);
    expect(html).toContain(pkg.hash);
    expect(html).toContain('custom module mokotest');
    expect(html).toContain('https://example.test/dolibarr-20.0.2.tgz');
    expect(html).toMatch(/Approved<\/dt><dd>2026-12-01T10:00:00.000Z by dave/);
  });
});
