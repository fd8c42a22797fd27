import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Issue 12: no `sh -c` / `bash -c` script is built by splicing values; values go as positional parameters.
 * A static scan of src/ for a template literal with ${...} as the script of -c or of bashCommand().
 */
const src = join(import.meta.dirname, '../../../src');
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

describe('no spliced shell scripts (issue 12)', () => {
  it('finds no -c script or bashCommand() built from a template with ${...}', () => {
    const spliced = files(src).filter((f) => {
      const text = readFileSync(f, 'utf8');
      return /['"]-c['"],\s*`[^`]*\$\{/.test(text) || /bashCommand\(\s*`[^`]*\$\{/.test(text);
    });
    const found = spliced.map((f) => relative(join(src, '..'), f));
    expect(found).toEqual([]);
  });
});
