import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { planInput } from '../helpers/records.js';
import { workspace } from '../helpers/cli.js';

/**
 * Issue 18 with the real executable: `deploy --dry-run` of a multi-entity plan lists every command of the entity
 * steps (the module installed into current/htdocs/custom and enabled, then each entity), changing nothing; a plan
 * with entities but without the multicompany module is refused before any command.
 */
const ws = workspace();
afterAll(() => rmSync(ws.dir, { recursive: true, force: true }));

const entities = [
  {
    id: 2,
    label: 'ACME Belgium',
    company: { name: 'ACME Belgium SPRL', country: 'BE', currency: 'EUR' },
    modules: ['modSociete'],
    branding: { logo: '/srv/brand/belgium.png', topMenuColor: '#1a5276' },
    users: [
      { login: 'bob', lastname: 'Peeters', password: { secret: 'acme/bob' }, rights: ['societe.lire'] },
    ],
  },
];

describe('deploy of a multi-entity plan', { retry: 0 }, () => {
  it('--dry-run lists the module, the entity and its settings, and the password nowhere', () => {
    ws.writePlan(
      'plan.yaml',
      planInput({
        kind: 'multi-entity',
        environment: 'staging',
        customModules: [{ name: 'multicompany', source: '/srv/modules/multicompany-18.0.7.tgz' }],
        entities: entities as never,
      }),
    );
    expect(ws.run(['plan', 'submit', 'plan.yaml', '--as', 'tina']).code).toBe(0);
    const r = ws.run(['deploy', 'acme-2026-12', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/Passw|bob.*password/i);
    for (const text of [
      '[2/8] entities:module',
      'sudo -n tar -xzf /srv/modules/multicompany-18.0.7.tgz -C /var/www/mokocrm/acme/current/htdocs/custom',
      'sudo -n -u www-data php /var/www/mokocrm/acme/shared/mokodeploy/enable-modules.php < (secret on stdin)',
      '[3/8] entities:create',
      'sudo -n -u www-data php /var/www/mokocrm/acme/shared/mokodeploy/create-entities.php < (secret on stdin)',
      '[4/8] entities:company',
      '[5/8] entities:modules',
      '[7/8] entities:branding',
      'sudo -n install -m 0640 -o www-data -g www-data -- /srv/brand/belgium.png /var/lib/mokocrm/acme/documents/2/mycompany/logos/belgium.png',
      '[8/8] entities:users',
      'create-users.php < (secret on stdin)',
    ])
      expect(r.stdout).toContain(text);
  });
  it('entities verify refuses a plan whose entities have no users to check as, before connecting', () => {
    const noUsers = entities.map((e) => ({ ...e, users: [] }));
    ws.writePlan(
      'plan3.yaml',
      planInput({
        id: 'acme-2026-14',
        kind: 'multi-entity',
        environment: 'staging',
        customModules: [{ name: 'multicompany', source: '/srv/modules/multicompany-18.0.7.tgz' }],
        entities: noUsers as never,
      }),
    );
    expect(ws.run(['plan', 'submit', 'plan3.yaml', '--as', 'tina']).code).toBe(0);
    const r = ws.run(['entities', 'verify', 'acme-2026-14', '--as', 'tina']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/has no entity with users: nobody to check the isolation as/);
  });
  it('a plan with entities but no multicompany module is refused, saying what to add', () => {
    ws.writePlan(
      'plan2.yaml',
      planInput({
        id: 'acme-2026-13',
        kind: 'multi-entity',
        environment: 'staging',
        entities: entities as never,
      }),
    );
    expect(ws.run(['plan', 'submit', 'plan2.yaml', '--as', 'tina']).code).toBe(0);
    const r = ws.run(['deploy', 'acme-2026-13', '--dry-run']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/no "multicompany" custom module/);
  });
});
