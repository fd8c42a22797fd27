import { describe, expect, it } from 'vitest';
import { fpmComment, fpmIniValue, fpmSectionName } from '../../../src/escape/php-fpm.js';
import { MokoError } from '../../../src/core/errors.js';
import { payloads } from './payloads.js';

describe('PHP-FPM ini escaper', () => {
  it('passes paths, users and sizes unchanged', () => {
    for (const ok of ['/run/php/mokocrm-acme.sock', 'www-data', '64', 'unix:/x'])
      expect(fpmIniValue(ok)).toBe(ok);
  });
  it('refuses every hostile payload (a newline would add php_admin_value[auto_prepend_file])', () => {
    for (const [name, p] of Object.entries(payloads)) {
      if (name === 'dot-dot' || name === 'leading dash') continue; // harmless characters in an ini value
      expect(() => fpmIniValue(`/run/php/x${p}`), name).toThrow(MokoError);
    }
    expect(() => fpmIniValue('/run/php/x.sock\nphp_admin_value[auto_prepend_file] = /tmp/x')).toThrow(
      /PHP-FPM ini/,
    );
  });
  it('section names and comments', () => {
    expect(fpmSectionName('mokocrm-acme')).toBe('mokocrm-acme');
    expect(() => fpmSectionName('a]\n[www')).toThrow(MokoError);
    expect(fpmComment('x')).toBe('; x');
    expect(() => fpmComment('x\nuser = root')).toThrow(MokoError);
  });
});
