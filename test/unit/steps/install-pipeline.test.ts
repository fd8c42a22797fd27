import { describe, expect, it } from 'vitest';
import { Secret } from '../../../src/core/secret.js';
import { installPipeline } from '../../../src/steps/install/index.js';
import type { Action } from '../../../src/steps/step.js';
import { knownSecrets, testContext } from './install-context.js';

const ctx = testContext(
  {
    customModules: [
      {
        name: 'mokotest',
        descriptor: { className: 'modMokoTest', depends: [], phpmin: [8, 1], needDolibarrVersion: [19, 0] },
      },
    ],
  },
  { customModules: [{ name: 'mokotest', source: '/srv/modules/mokotest.tgz' }] },
);
const planned = installPipeline().map((s) => ({ id: s.id, actions: s.plan(ctx) }));
const all: Action[] = planned.flatMap((p) => p.actions);

describe('installPipeline', () => {
  it('runs the steps in the policy order with unique ids', () => {
    const ids = planned.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([
      'install:verify-release',
      'install:check-modules',
      'install:config-dirs',
      'install:extract-release',
      'install:custom-modules',
      'install:set-permissions',
      'install:php-tools',
      'install:switch-current',
      'install:database',
      'install:conf-prepare',
      'install:installer-step1',
      'install:conf-restore',
      'install:installer-step2',
      'install:installer-step5',
      'install:conf-lock',
      'install:company',
      'install:email',
      'install:telemetry',
      'install:modules',
      'install:users',
      'install:cron',
      'install:php-fpm-pool',
      'install:web-site',
    ]);
  });

  it('puts no secret in any argv, cwd or env', () => {
    for (const action of all) {
      if (action.kind !== 'run') continue;
      const visible = [
        ...action.command.argv,
        action.command.cwd ?? '',
        ...Object.values(action.command.env ?? {}),
      ].join('\n');
      for (const value of Object.values(knownSecrets)) expect(visible).not.toContain(value);
      expect(action.description).not.toMatch(new RegExp(Object.values(knownSecrets).join('|')));
    }
  });

  it('sends every secret it uses as a Secret (stdin or file content), never as plain text', () => {
    const carriers = all.flatMap((a) => (a.kind === 'run' ? [a.command.stdin] : [a.file.content]));
    for (const c of carriers) {
      if (typeof c === 'string')
        for (const value of Object.values(knownSecrets)) expect(c).not.toContain(value);
    }
    const revealed = carriers
      .filter((c): c is Secret => c instanceof Secret)
      .map((s) => s.reveal())
      .join('\n');
    for (const name of ['acme/db', 'acme/admin', 'acme/instance-unique-id', 'acme/cron-key', 'acme/alice']) {
      expect(revealed).toContain(knownSecrets[name]);
    }
  });

  it('marks every command that changes the system as root (sudo) and runs Dolibarr code as the web user', () => {
    for (const action of all) {
      if (action.kind !== 'run') continue;
      if (action.command.argv[0] === 'php')
        expect(action.command.asUser, action.description).toBe('www-data');
      else expect(action.command.sudo, action.description).toBe(true);
    }
  });

  it('plans only commands as argv arrays (no shell) except the one certificate concatenation', () => {
    const shells = all.filter((a) => a.kind === 'run' && ['sh', 'bash'].includes(a.command.argv[0]!));
    expect(shells).toHaveLength(0); // the test plan has no TLS chain
  });
});
