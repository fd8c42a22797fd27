import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app/context.js';
import { evidenceFrom } from '../../../src/cli/commands/evidence-options.js';
import { confirmationsFrom } from '../../../src/cli/commands/signoff-confirm.js';

/** The CLI's --file and --confirm-file store through the app's evidence location (async since issue 20). */
function setUp() {
  const dir = mkdtempSync(join(tmpdir(), 'moko-cli-evidence-'));
  const app = createApp({ home: join(dir, 'home'), env: {} });
  const file = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));
  return { app, file, stored: (sha: string) => readFileSync(join(dir, 'home', 'evidence', sha), 'utf8') };
}
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('CLI evidence options', () => {
  it('--evidence, --file, --link: text, stored files, links, in that order', async () => {
    const { app, file, stored } = setUp();
    const got = await evidenceFrom(app, {
      evidence: ['scan clean'],
      file: [file('a.txt', 'A\n'), file('b.txt', 'B\n')],
      link: ['https://tickets.example/1'],
    });
    expect(got).toEqual([
      { kind: 'text', text: 'scan clean' },
      { kind: 'file', name: 'a.txt', sha256: sha('A\n'), size: 2 },
      { kind: 'file', name: 'b.txt', sha256: sha('B\n'), size: 2 },
      { kind: 'link', url: 'https://tickets.example/1' },
    ]);
    expect(stored(sha('B\n'))).toBe('B\n');
  });

  it('--confirm-file ITEM=PATH stores the file as that item’s evidence; a missing file is an input error', async () => {
    const { app, file, stored } = setUp();
    const got = await confirmationsFrom(app, {
      signatory: 'Jane Client, CEO',
      confirm: ['support-confirmed'],
      confirmFile: [`support-confirmed=${file('mail.eml', 'yes\n')}`],
    });
    expect(got).toEqual([
      {
        item: 'support-confirmed',
        signatory: 'Jane Client, CEO',
        evidence: [{ kind: 'file', name: 'mail.eml', sha256: sha('yes\n'), size: 4 }],
      },
    ]);
    expect(stored(sha('yes\n'))).toBe('yes\n');
    await expect(confirmationsFrom(app, { confirmFile: ['x=/nonexistent/file'] })).rejects.toThrow(
      /cannot read the evidence file/,
    );
  });
});
