import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../helpers/cli.js';
import { packagingWorkspace } from '../helpers/cli-deploy-workspace.js';
import { planInput } from '../helpers/records.js';
import { fixtureFiles } from '../helpers/fixture-release/build.js';
import { parseFileList } from '../../src/package/filelist.js';
import { assertDataAsPackaged } from '../../src/package/data-check.js';

/**
 * Issue 22: `mokodeploy package` builds the deployment package on the operator's machine (the fixture release,
 * checked against its own filelist-X.Y.Z.xml in Dolibarr's format, a custom module, the rendered configuration),
 * records its hash; `approve` approves that hash; a changed file makes a new package and voids the approval; a
 * release whose files differ from Dolibarr's list is refused naming the file unless a deployment manager
 * records an exception.
 */
const id = 'acme-2026-12';
let ws: Workspace;
let release: string;
let moduleDir: string;
let json: ReturnType<typeof packagingWorkspace>['json'];

const show = () => json(['show', id]);

/** The fixture's files with `change` applied after the file list was written, packed as a release tarball. */
function tarballWith(change: (files: Record<string, string>) => void, out: string): void {
  const files = fixtureFiles({ version: '20.0.2' });
  change(files);
  const src = mkdtempSync(join(tmpdir(), 'moko-tampered-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(src, 'dolibarr-20.0.2', path)), { recursive: true });
    writeFileSync(join(src, 'dolibarr-20.0.2', path), content);
  }
  execFileSync('tar', ['-czf', out, '-C', src, 'dolibarr-20.0.2']);
}

beforeAll(() => {
  ({ ws, release, moduleDir, json } = packagingWorkspace());
});

describe('mokodeploy package', () => {
  it("the fixture release carries a file list in Dolibarr's format that lists its htdocs and scripts files", () => {
    const files = fixtureFiles({ version: '20.0.2' });
    const list = parseFileList(files['htdocs/install/filelist-20.0.2.xml']!);
    expect(list.version).toBe('20.0.2');
    expect(list.files.get('htdocs/index.php')?.size).toBe(Buffer.byteLength(files['htdocs/index.php']!));
    expect(list.files.has('scripts/cron/cron_run_jobs.php')).toBe(true);
    expect(list.files.has('htdocs/custom/README.md')).toBe(false); // custom/ is not in Dolibarr's list
    expect(list.files.has('htdocs/install/step1.php')).toBe(false); // nor install/
  });

  it('builds the package, records its hash, and the approval covers that hash', () => {
    const built = json(['package', id, '--as', 'tina']);
    expect(built.hash).toMatch(/^[a-f0-9]{64}$/);
    expect(built.fileCheck).toMatchObject({ missing: [], changed: [], added: [] });
    expect(built.fileCheck.listed).toBeGreaterThan(20);
    const manifest = JSON.parse(readFileSync(built.tar.replace(/\.tar$/, '.json'), 'utf8'));
    const paths = manifest.files.map((f: { path: string }) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'release/dolibarr-20.0.2.tgz',
        'release/filelist-20.0.2.xml',
        'modules/mokotest/core/modules/modMokoTest.class.php',
        'config/conf.php',
        'config/nginx-site.conf',
      ]),
    );
    expect(readFileSync(built.tar).includes('[secret acme/db]')).toBe(true); // configuration without secrets
    // the same inputs give the same package
    expect(json(['package', id, '--as', 'tina']).hash).toBe(built.hash);
    expect(ws.run(['approve', id, '--as', 'dave']).code).toBe(0);
    const record = show();
    expect(record.package.hash).toBe(built.hash);
    expect(record.approval.packageHash).toBe(built.hash);
  });

  it('deploy --dry-run lists the install from the package, without the tarball at the plan path', () => {
    const hash = show().package.hash;
    renameSync(release, `${release}.away`);
    try {
      const r = ws.run(['--json', 'deploy', id, '--dry-run']);
      expect(r.code, r.stderr).toBe(0);
      const listing = String(JSON.parse(r.stdout).listing);
      expect(listing).toContain(`/var/www/mokocrm/acme/packages/${hash}/release/dolibarr-20.0.2.tgz`);
      expect(listing).toContain(`/var/www/mokocrm/acme/packages/${hash}/modules/mokotest`);
      expect(listing).not.toContain(release);
    } finally {
      renameSync(`${release}.away`, release);
    }
  });

  it('a byte changed in a custom module makes a new package and voids the approval', () => {
    const before = show().package.hash;
    writeFileSync(join(moduleDir, 'README.md'), '# mokotest\n\nTest module for mokodeploy!\n');
    const r = ws.run(['--json', 'package', id, '--as', 'tina']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr, r.stdout).toContain('must be approved again');
    const record = show();
    expect(record.package.hash).not.toBe(before);
    expect(record.state).toBe('submitted');
    expect(record.approval.packageHash).toBe(before);
    expect(record.checklist['plan-approved'].ticked).toBe(false);
    expect(ws.run(['approve', id, '--as', 'dave']).code).toBe(0);
    expect(show().approval.packageHash).toBe(record.package.hash);
  });

  it("a byte changed in the release is refused naming the file, unless a deployment manager records an exception", () => {
    const approved = show().package.hash;
    tarballWith((f) => (f['htdocs/index.php'] = `${f['htdocs/index.php']} `), release);
    const r = ws.run(['package', id, '--as', 'tina']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('changed: htdocs/index.php');
    expect(r.stderr).toContain('1 changed');
    expect(show().package.hash).toBe(approved); // nothing recorded
    expect(show().state).toBe('approved');

    const lead = ws.run(['package', id, '--as', 'tina', '--exception', 'patched index for the client']);
    expect(lead.code).not.toBe(0); // a technical lead may not accept it
    const dm = ws.run(['--json', 'package', id, '--as', 'dave', '--exception', 'patched index for the client']);
    expect(dm.code, dm.stderr).toBe(0);
    expect(show().package.hash).toBe(approved); // the exception alone records no package
    expect(ws.run(['package', id, '--as', 'tina']).code).toBe(0);
    const record = show();
    expect(record.packageExceptions[0]).toMatchObject({ reason: 'patched index for the client', findings: ['changed: htdocs/index.php'] });
    expect(record.package.release.fileCheck).toMatchObject({ changed: ['htdocs/index.php'], exception: 'patched index for the client' });
    expect(record.state).toBe('submitted'); // another package: approved again before deploying
  });

  it('an added file outside htdocs/custom is a finding; a module under htdocs/custom is expected', () => {
    tarballWith((f) => {
      f['htdocs/shell.php'] = '<?php system($_GET["c"]);\n';
      f['htdocs/custom/extra/x.php'] = '<?php\n';
    }, release);
    const r = ws.run(['package', id, '--as', 'tina']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('added: htdocs/shell.php');
    expect(r.stderr).not.toContain('htdocs/custom/extra');
  });

  it("a data migration imports only the approved package's data files (not shipped: migrate reads them here)", async () => {
    tarballWith(() => undefined, release); // a release matching its file list again
    writeFileSync(join(ws.dir, 'clients.csv'), 'name;town\nACME;Paris\n');
    ws.writePlan(
      'plan.yaml',
      planInput({
        dolibarr: { version: '20.0.2', release },
        data: [{ object: 'thirdparties', file: 'clients.csv' }],
      }),
    );
    expect(ws.run(['plan', 'revise', id, 'plan.yaml', '--as', 'tina']).code).toBe(0);
    expect(ws.run(['package', id, '--as', 'tina']).code).toBe(0);
    expect(ws.run(['approve', id, '--as', 'dave']).code).toBe(0);
    const home = join(ws.dir, '.mokodeploy');
    await assertDataAsPackaged(show(), home);
    writeFileSync(join(ws.dir, 'clients.csv'), 'name;town\nACME;Lyon\n');
    await expect(assertDataAsPackaged(show(), home)).rejects.toMatchObject({
      details: [expect.stringMatching(/clients\.csv: changed since the package was approved/)],
    });
  });

  it('a URL without sha256 is refused; a URL is downloaded once and checked against the plan', async () => {
    const served = readFileSync(release);
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.end(served);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dolibarr-20.0.2.tgz`;
    try {
      const revise = (dolibarr: Record<string, string>) => {
        ws.writePlan('plan.yaml', planInput({ dolibarr: { version: '20.0.2', ...dolibarr } as never }));
        expect(ws.run(['plan', 'revise', id, 'plan.yaml', '--as', 'tina']).code).toBe(0);
      };
      revise({ release: url });
      const r = ws.run(['package', id, '--as', 'tina']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('URL without a sha256');
      revise({ release: url, sha256: '0'.repeat(64) });
      const wrong = await ws.runAsync(['package', id, '--as', 'tina']);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toContain(`the plan says ${'0'.repeat(64)}`);
      revise({ release: url, sha256: createHash('sha256').update(served).digest('hex') });
      const built = await ws.runAsync(['--json', 'package', id, '--as', 'tina']);
      expect(built.code, built.stderr).toBe(0);
      expect(show().package.origins[0]).toMatchObject({ path: 'release/dolibarr-20.0.2.tgz', from: url });
      const before = requests;
      expect((await ws.runAsync(['package', id, '--as', 'tina'])).code).toBe(0);
      expect(requests).toBe(before); // downloaded once, kept by its sha256
    } finally {
      server.close();
    }
  });
});
