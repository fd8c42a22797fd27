import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { emailProblem, isValidEmail } from '../../src/migrate/email.js';
import { rng } from '../helpers/migrate-corrupt.js';

/** PHP's own answer for each address: filter_var($a, FILTER_VALIDATE_EMAIL), what Dolibarr's isValidEmail() returns. */
function phpAnswers(addresses: string[]): boolean[] {
  const code = 'echo json_encode(array_map(fn($a) => filter_var($a, FILTER_VALIDATE_EMAIL) !== false, json_decode(stream_get_contents(STDIN))));';
  const r = spawnSync('php', ['-r', code], { input: JSON.stringify(addresses), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`php failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as boolean[];
}

const known = [
  'pénélope.åberg@example.org', 'jean@café.fr', 'jean@xn--caf-dma.fr', 'anna@globex.de', 'JP.Martin@ACME.fr', 'not-an-email', 'a@b', 'a@b.c', 'a@b.co',
  'a..b@example.com', '.a@example.com', 'a.@example.com', '"a b"@example.com', '"a\\"b"@example.com', 'a+tag@example.com', "o'neil@example.ie",
  'a@-example.com', 'a@example-.com', 'a@ex--ample.com', 'a@123.com', 'a@example.123', 'a@[127.0.0.1]', 'a@[IPv6:::1]', 'a@[300.0.0.1]',
  `${'x'.repeat(64)}@example.com`, `${'x'.repeat(65)}@example.com`, `a@${'d'.repeat(63)}.com`, `a@${'d'.repeat(64)}.com`, 'a@example.com\n', ' a@example.com',
  'a@exa_mple.com', 'a@example.c0m', 'a@example.co1', 'user@localhost', 'user@sub.example.museum', 'm.ağaoğlu@example.com.tr', 'Ma?gorzata@example.pl',
];

describe('migrate e-mails: what Dolibarr itself accepts (issue 15)', () => {
  it('agrees with PHP FILTER_VALIDATE_EMAIL (Dolibarr isValidEmail) on known cases and 3000 random ones', () => {
    const r = rng(15);
    const alphabet = ['a', 'Z', '0', '.', '-', '_', '+', '"', '\\', ' ', '@', '[', ']', ':', 'é', 'å', 'x', 'n', '-', '(', ')', ',', ';', '\t', '!', '#', '~'];
    const word = (n: number) => Array.from({ length: 1 + Math.floor(r() * n) }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
    const random = Array.from({ length: 3000 }, () => {
      const k = r();
      if (k < 0.4) return `${word(8)}@${['example.com', 'xn--caf-dma.fr', 'a.b', '[1.2.3.4]', 'ex-ample.org'][Math.floor(r() * 5)]}`;
      if (k < 0.8) return `${['john', 'a.b', '"q"', 'x+y'][Math.floor(r() * 4)]}@${word(10)}.${['com', 'fr', 'c', 'museum'][Math.floor(r() * 4)]}`;
      return word(20);
    });
    const all = [...known, ...random];
    const php = phpAnswers(all);
    const differ = all.filter((a, i) => isValidEmail(a) !== php[i]);
    expect(differ).toEqual([]);
    expect(php.filter(Boolean).length).toBeGreaterThan(150);
  });

  it('says why, and what Dolibarr needs, for an address with accents', () => {
    expect(emailProblem('anna@globex.de')).toBeUndefined();
    expect(emailProblem('pénélope.åberg@example.org')).toBe('"pénélope.åberg@example.org" is not an e-mail address (Dolibarr takes ASCII addresses only: its isValidEmail uses PHP FILTER_VALIDATE_EMAIL; write a domain in its xn-- form)');
    expect(emailProblem('not-an-email')).toBe('"not-an-email" is not an e-mail address');
  });
});
