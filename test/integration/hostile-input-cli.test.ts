import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { workspace } from '../helpers/cli.js';
import { planInput } from '../helpers/records.js';

/**
 * Issue 12 through the shipped CLI (`npm run build` first): the reproduced values are refused by `plan check`
 * with exit 2, file:line:col, the field and what it allows, and the plan submitted is not recorded.
 */
describe('plan check refuses hostile plan values (issue 12)', () => {
  const cases: [string, (p: ReturnType<typeof planInput>) => void, RegExp][] = [
    [
      'site.domain',
      (p) => (p.site.domain = 'crm.acme.test; location ~ ^/etc/ { root /; autoindex on; } #'),
      /hostile.yaml:\d+:\d+ site.domain: a host name like crm.example.com \(RFC 1123\)/,
    ],
    [
      'target.root',
      (p) => (p.target.root = '/var/www/acme\n* * * * * root touch /tmp/pwned'),
      /hostile.yaml:\d+:\d+ target.root: letters, digits and/,
    ],
    [
      'target.phpFpmPoolDir',
      (p) => (p.target.phpFpmPoolDir = '/etc/php/8.2/fpm/pool.d; touch /tmp/pwned; #'),
      /hostile.yaml:\d+:\d+ target.phpFpmPoolDir: letters, digits and/,
    ],
    [
      'people',
      (p) => (p.people['technical-lead'] = 'tina\n* * * * * root id'),
      /hostile.yaml:\d+:\d+ people.technical-lead: a lower-case login/,
    ],
    [
      'site.url',
      (p) => (p.site.url = 'javascript:alert(1)'),
      /hostile.yaml:\d+:\d+ site.url: a site URL like/,
    ],
  ];
  it.each(cases)('%s', (_name, patch, message) => {
    const ws = workspace();
    ws.writePlan('plan.yaml', planInput());
    expect(ws.run(['plan', 'submit', 'plan.yaml', '--as', 'tina']).code).toBe(0); // a store to compare
    const plan = planInput({ id: 'acme-2' });
    patch(plan);
    ws.writePlan('hostile.yaml', stringify(plan));
    const before = ws.dumpStore();
    const check = ws.run(['plan', 'check', 'hostile.yaml']);
    expect(check.code).toBe(2);
    expect(check.stderr).toMatch(message);
    const submit = ws.run(['plan', 'submit', 'hostile.yaml', '--as', 'tina']);
    expect(submit.code).toBe(2);
    expect(submit.stderr).toMatch(message);
    expect(ws.dumpStore()).toBe(before);
  });
});
