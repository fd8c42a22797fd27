import { describe, expect, it } from 'vitest';
import { planSchema } from '../../../src/core/plan.js';
import { Secret } from '../../../src/core/secret.js';
import { pipelineFor } from '../../../src/runner/pipelines.js';
import { createEntities } from '../../../src/steps/entities/create-entities.js';
import { eldyColor, entityBranding } from '../../../src/steps/entities/entity-branding.js';
import { entityCompany } from '../../../src/steps/entities/entity-company.js';
import { entityConstants } from '../../../src/steps/entities/entity-constants.js';
import { entityModules } from '../../../src/steps/entities/entity-modules.js';
import { entityUsers } from '../../../src/steps/entities/entity-users.js';
import { entitiesPipeline } from '../../../src/steps/entities/index.js';
import type { Action, StepContext } from '../../../src/steps/step.js';
import { makeTestPlan } from '../../helpers/services/plan.js';
import { root, testContext } from './install-context.js';

const cmd = (a: Action | undefined) => {
  if (a?.kind !== 'run') throw new Error('expected a run action');
  return a.command;
};
const body = (a: Action | undefined) =>
  JSON.parse((cmd(a).stdin as Secret).reveal()) as Record<string, unknown>;
const tool = (name: string) => ['php', `${root}/shared/mokodeploy/${name}`];

const multicompany = { name: 'multicompany', source: '/srv/modules/multicompany-18.0.7.tgz' };
const belgium = {
  id: 2,
  label: 'ACME Belgium',
  company: { name: 'ACME Belgium SPRL', country: 'BE', currency: 'EUR' },
  language: 'fr_BE',
  modules: ['modSociete', 'modProduct'],
  constants: [{ name: 'MAIN_SIZE_LISTE_LIMIT', value: '50' }],
  branding: { logo: '/srv/brand/belgium.png', topMenuColor: '#1a5276' },
  users: [{ login: 'bob', lastname: 'Peeters', password: { secret: 'acme/bob' }, rights: ['societe.lire'] }],
};
const suisse = {
  id: 3,
  label: 'ACME Suisse',
  company: { name: 'ACME Suisse SA', country: 'CH', currency: 'CHF' },
};

function ctxWith(entities: unknown[]): StepContext {
  const ctx = testContext({}, { customModules: [multicompany], entities: entities as never });
  const known: Record<string, string> = { 'acme/bob': 'BobPassw0rdKnownToTest42' };
  const base = ctx.secret!;
  return { ...ctx, secret: (n) => (known[n] ? new Secret(known[n]) : base(n)) };
}

describe('the plan section entities (issue 18)', () => {
  const parse = (entities: unknown[]) => planSchema.safeParse({ ...makeTestPlan(), entities });
  it('accepts entities 2, 3 with their company', () => {
    expect(parse([belgium, suisse]).success).toBe(true);
  });
  it('refuses ids that are not 2, 3, ... in a row (the module numbers them)', () => {
    const r = parse([belgium, { ...suisse, id: 4 }]);
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toMatch(/2, 3, \.\.\. in a row/);
  });
  it('refuses an entity other than 1 without company, and a label used twice', () => {
    const r = parse([
      { id: 2, label: 'B' },
      { ...suisse, label: 'b' },
    ]);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['entities.0.company', 'entities.1.label']);
  });
  it("refuses an admin among an entity's users", () => {
    const r = parse([{ ...belgium, users: [{ ...belgium.users[0], admin: true }] }]);
    expect(r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      expect.stringMatching(/^entities\.0\.users: an entity's users cannot be admins/),
    ]);
  });
  it('refuses a logo that is not png/jpg and a colour that is not #rrggbb', () => {
    const r = parse([{ ...belgium, branding: { logo: '/srv/logo.svg', topMenuColor: 'red' } }]);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual([
      'entities.0.branding.logo',
      'entities.0.branding.topMenuColor',
    ]);
  });
});

describe('entity steps: commands as data, each tool run in its entity', () => {
  const ctx = ctxWith([suisse, belgium, { id: 1, label: 'ACME France', users: [] }]);
  it('create: one create-entities.php run as the superadmin in entity 1: the master label, entities 2.. in id order', () => {
    const [a, more] = createEntities.plan(ctx);
    expect(more).toBeUndefined();
    expect(cmd(a).argv).toEqual(tool('create-entities.php'));
    expect(a?.description).toBe('entities 1 ACME France (master, label), 2 ACME Belgium, 3 ACME Suisse');
    expect(body(a)).toMatchObject({
      entity: 1,
      admin: 'admin',
      entities: [
        { id: 1, label: 'ACME France' },
        { id: 2, label: 'ACME Belgium' },
        { id: 3, label: 'ACME Suisse' },
      ],
    });
  });
  it('company and language: set-company.php and set-constants.php with the entity', () => {
    const actions = entityCompany.plan(ctx);
    expect(actions.map((a) => [cmd(a).argv[1], body(a).entity])).toEqual([
      [`${root}/shared/mokodeploy/set-company.php`, 2],
      [`${root}/shared/mokodeploy/set-constants.php`, 2],
      [`${root}/shared/mokodeploy/set-company.php`, 3],
    ]);
    expect(body(actions[1]).constants).toEqual([{ name: 'MAIN_LANG_DEFAULT', value: 'fr_BE' }]);
  });
  it('modules and constants only for entities that list some', () => {
    expect(entityModules.plan(ctx).map((a) => body(a))).toEqual([
      expect.objectContaining({ entity: 2, modules: ['modSociete', 'modProduct'] }),
    ]);
    expect(body(entityConstants.plan(ctx)[0])).toMatchObject({
      entity: 2,
      constants: [{ name: 'MAIN_SIZE_LISTE_LIMIT', value: '50' }],
    });
  });
  it("branding: the entity's data dirs owned by the web user, the logo there, thumbs, and eldy's colour as r,g,b", () => {
    const [dirs, copy, logo, color] = entityBranding.plan(ctx);
    const docs = '/var/lib/mokocrm/acme/documents';
    expect(cmd(dirs)).toMatchObject({
      sudo: true,
      argv: [
        'install',
        '-d',
        '-m',
        '0750',
        '-o',
        'www-data',
        '-g',
        'www-data',
        '--',
        `${docs}/2`,
        `${docs}/2/mycompany`,
        `${docs}/2/mycompany/logos`,
      ],
    });
    expect(cmd(copy)).toMatchObject({
      sudo: true,
      argv: [
        'install',
        '-m',
        '0640',
        '-o',
        'www-data',
        '-g',
        'www-data',
        '--',
        '/srv/brand/belgium.png',
        `${docs}/2/mycompany/logos/belgium.png`,
      ],
    });
    expect(body(logo)).toMatchObject({ entity: 2, logo: 'belgium.png' });
    expect(body(color).constants).toEqual([{ name: 'THEME_ELDY_TOPMENU_BACK1', value: '26,82,118' }]);
    expect(eldyColor('#ff0080')).toBe('255,0,128');
  });
  it('users: created in their entity, never admins, the password only on stdin', () => {
    const [a] = entityUsers.plan(ctx);
    expect(body(a)).toMatchObject({
      entity: 2,
      users: [{ login: 'bob', admin: false, password: 'BobPassw0rdKnownToTest42' }],
    });
    expect(cmd(a).argv.join(' ')).not.toContain('BobPassw0rd');
  });
  it('a plan without entities plans nothing', () => {
    const none = testContext();
    expect(entitiesPipeline().flatMap((s) => s.plan(none))).toEqual([]);
  });
});

describe('deploy of a plan with entities', () => {
  it('a new install with entities runs the entity steps after the install', () => {
    const plan = makeTestPlan({ customModules: [multicompany], entities: [belgium] as never });
    const ids = pipelineFor(plan)
      .steps({})
      .map((s) => s.id);
    expect(ids.slice(-8)).toEqual([
      'install:web-site',
      'entities:php-tools',
      'entities:create',
      'entities:company',
      'entities:modules',
      'entities:constants',
      'entities:branding',
      'entities:users',
    ]);
  });
  it('kind multi-entity: the entity steps on their own, the module installed and enabled first', () => {
    const plan = makeTestPlan({
      kind: 'multi-entity',
      customModules: [multicompany],
      entities: [belgium] as never,
    });
    const p = pipelineFor(plan);
    expect(p.name).toBe('entities');
    expect(
      p
        .steps({})
        .map((s) => s.id)
        .slice(0, 3),
    ).toEqual(['entities:php-tools', 'entities:module', 'entities:create']);
  });
  it('entities without the multicompany module are refused before any command', () => {
    const plan = makeTestPlan({ kind: 'multi-entity', entities: [belgium] as never });
    expect(() => pipelineFor(plan)).toThrow(/no "multicompany" custom module/);
  });
});
