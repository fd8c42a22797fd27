import { describe, expect, it } from 'vitest';
import { renderPlanTemplate } from '../../../src/cli/render/plan-template.js';
import { planSchema } from '../../../src/core/plan.js';
import {
  absolutePath,
  dbAccount,
  hostOrAddress,
  hostname,
  localPath,
  login,
  oneLine,
  rawHtmlLabel,
  siteUrl,
  httpUrl,
  targetHost,
} from '../../../src/core/plan-strings.js';
import { parseYamlWithSchema } from '../../../src/core/yaml-input.js';

const ok = (t: { safeParse(v: unknown): { success: boolean } }, v: string) => t.safeParse(v).success;

describe('plan string types (issue 12)', () => {
  it('labels Dolibarr prints raw (entity labels on the login page): no < or >, & and quotes allowed', () => {
    for (const v of ['ACME France', 'Smith & Sons', "L'Atelier \"Nord\""]) expect(ok(rawHtmlLabel(), v), v).toBe(true);
    for (const v of ['<script>alert(1)</script>', 'a > b', '<b>Bold</b>', 'x\ny'])
      expect(ok(rawHtmlLabel(), v), v).toBe(false);
  });
  it('hostnames: RFC 1123 only; addresses where a host is reached', () => {
    for (const v of ['crm.acme.test', 'localhost', 'a-b.c1.example', 'x'.repeat(63)])
      expect(ok(hostname, v), v).toBe(true);
    for (const v of [
      '-a.test',
      'a-.test',
      'a..test',
      'a b',
      'a;b',
      'x'.repeat(64),
      '',
      'a_b.test',
      '*.a.test',
    ])
      expect(ok(hostname, v), v).toBe(false);
    for (const v of ['127.0.0.1', '::1', 'db.acme.test']) expect(ok(hostOrAddress, v), v).toBe(true);
    expect(ok(targetHost, 'local')).toBe(true);
    expect(ok(targetHost, 'local; id')).toBe(false);
  });
  it('absolute paths: conservative characters, no .., no newline', () => {
    for (const v of ['/var/www/mokocrm/acme', '/tmp/moko-x-AbC123/a.b_c+d@e~f'])
      expect(ok(absolutePath, v), v).toBe(true);
    for (const v of [
      'var/www',
      '/var/www/../etc',
      '/a\nb',
      '/a b',
      "/a'b",
      '/a;b',
      '/a$b',
      '/a%b',
      '/a#b',
      '/a{b}',
      '/a\0b',
      '/..',
    ])
      expect(ok(absolutePath, v), JSON.stringify(v)).toBe(false);
    expect(ok(localPath, 'exports/companies.csv')).toBe(true);
    expect(ok(localPath, '-rf')).toBe(false);
  });
  it('logins and accounts', () => {
    for (const v of ['www-data', 'deploy', '_www']) expect(ok(login, v), v).toBe(true);
    for (const v of ['-x', 'Root', 'a b', 'a\n', 'a;b', 'x'.repeat(33)]) expect(ok(login, v), v).toBe(false);
    expect(ok(dbAccount, 'app.user')).toBe(true);
    expect(ok(dbAccount, 'admin\ninit-command=x')).toBe(false);
  });
  it('URLs: http(s) only, no characters that end an attribute or a config word', () => {
    for (const v of ['https://crm.acme.test', 'http://crm.acme.test:8080/crm'])
      expect(ok(siteUrl, v), v).toBe(true);
    for (const v of [
      'javascript:alert(1)',
      'https://a.test/"x',
      'https://a.test/../x',
      'ftp://a.test',
      'https://a.test/#x',
    ])
      expect(ok(siteUrl, v), v).toBe(false);
    expect(ok(httpUrl, 'https://api.acme.test/v1?x=1&y=%20')).toBe(true);
    expect(ok(httpUrl, 'data:text/html,x')).toBe(false);
  });
  it('one-line text refuses control characters, keeps quotes and punctuation', () => {
    expect(ok(oneLine(), "ACME SARL (l'Atelier) #1; 50%")).toBe(true);
    for (const v of ['a\nb', 'a\rb', 'a\0b', 'a\u2028b', ''])
      expect(ok(oneLine(), v), JSON.stringify(v)).toBe(false);
  });
  it('the plan `init` writes is valid', () => {
    const plan = parseYamlWithSchema(
      renderPlanTemplate('acme-corp', new Date('2026-12-01T00:00:00Z')),
      'p.yaml',
      planSchema,
      'plan',
    );
    expect(plan.site.domain).toBe('crm.acme-corp.example');
  });
});
