import { Secret } from '../../../src/core/secret.js';
import { loadPolicy } from '../../../src/policy/load.js';
import type { InstallFacts } from '../../../src/steps/install/context.js';
import type { StepContext } from '../../../src/steps/step.js';
import { makeTestPlan } from '../../helpers/services/plan.js';

/** A fixed context for pure step tests: known secrets (so tests can look for them in argv), fixed stamp. */
export const knownSecrets: Record<string, string> = {
  'acme/db': 'DbPassw0rdKnownToTest1234',
  'acme/admin': 'AdminPassw0rdKnownToTest99',
  'acme/instance-unique-id': 'InstanceIdKnownToTest0123456789',
  'acme/cron-key': 'CronKeyKnownToTest0123456789',
  'acme/alice': 'AlicePassw0rdKnownToTest77',
  'acme/dbadmin': 'DbAdminPassw0rdKnown555',
};

export function testContext(
  facts: Partial<InstallFacts> = {},
  planOverrides: Parameters<typeof makeTestPlan>[0] = {},
): StepContext {
  const plan = makeTestPlan({
    dolibarr: { version: '20.0.2', release: '/srv/releases/dolibarr-20.0.2.tgz', sha256: 'a'.repeat(64) },
    email: { from: 'crm@acme.test', smtpHost: 'smtp.acme.test', smtpPort: 587 },
    users: [
      {
        login: 'alice',
        lastname: 'Martin',
        admin: false,
        password: { secret: 'acme/alice' },
        rights: ['societe.lire', 'produit'],
      },
    ],
    ...planOverrides,
  });
  return {
    plan,
    policy: loadPolicy(),
    facts: {
      stamp: '20261127100000',
      releaseVersion: '20.0.2',
      releaseSha256: 'a'.repeat(64),
      phpVersion: '8.2.7',
      customModules: [],
      ...facts,
    },
    outputs: {},
    secret: (name) => {
      const v = knownSecrets[name];
      if (!v) throw new Error(`test: unknown secret ${name}`);
      return new Secret(v);
    },
  };
}

export const root = '/var/www/mokocrm/acme';
export const release = `${root}/releases/20.0.2-20261127100000`;
