import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decodeUtf8, parseYamlWithSchema } from '../../src/core/yaml-input.js';
import { MokoError } from '../../src/core/errors.js';

const schema = z.record(z.string(), z.unknown());
const inputErrorOf = (fn: () => unknown): MokoError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof MokoError) return e;
    throw e;
  }
  throw new Error('expected an input error');
};

/** Issue 12: alias bombs and non-UTF-8 bytes are bad input (exit 2 / HTTP 400), never a crash or a silent U+FFFD. */
describe('bad bytes in YAML input', () => {
  it('an alias bomb is an input error naming the file, not an internal error', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [i, name] of [...'bcdefgh'].entries())
      levels.push(
        `${name}: &${name} [${Array(9)
          .fill(`*${String.fromCharCode(97 + i)}`)
          .join(', ')}]`,
      );
    const e = inputErrorOf(() => parseYamlWithSchema(levels.join('\n'), 'bomb.yaml', schema, 'plan'));
    expect(e.kind).toBe('input');
    expect(e.exitCode).toBe(2);
    expect(e.where).toBe('bomb.yaml');
    expect(e.message).toMatch(/expands its aliases/);
  });

  it('a few aliases are still fine', () => {
    expect(parseYamlWithSchema(Buffer.from('a: &a [1]\nb: *a\n'), 'ok.yaml', schema, 'plan')).toEqual({
      a: [1],
      b: [1],
    });
  });

  it('a Latin-1 byte is refused with its line and column; valid UTF-8 (é, U+FFFD itself) passes', () => {
    const bytes = Buffer.concat([
      Buffer.from('client: acme\nclientName: Caf'),
      Buffer.from([0xe9]),
      Buffer.from('\n'),
    ]);
    const e = inputErrorOf(() => parseYamlWithSchema(bytes, 'plan.yaml', schema, 'plan'));
    expect(e.kind).toBe('input');
    expect(e.where).toBe('plan.yaml:2:16');
    expect(e.message).toContain('not UTF-8 text (byte 0xe9');
    expect(decodeUtf8(Buffer.from('é \uFFFD'), 'x', 'plan')).toBe('é \uFFFD');
    const overlong = inputErrorOf(() => decodeUtf8(Buffer.from([0x61, 0x0a, 0x62, 0xc0, 0xaf]), 'f', 'plan'));
    expect(overlong.where).toBe('f:2:2');
  });
});
