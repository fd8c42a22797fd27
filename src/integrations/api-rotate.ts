import type { AppContext } from '../app/context.js';
import { refused } from '../core/errors.js';
import type { Plan } from '../core/plan.js';
import { Secret } from '../core/secret.js';
import { SecretStore } from '../store/secrets.js';
import { allApiGrants } from './api-users.js';

/**
 * `mokodeploy deploy ID --rotate` (issue 17, API connections): a new CSPRNG key for each API connection of the plan,
 * stored before the run, which writes it to the system's Dolibarr user (the api-users step writes a key only when the
 * stored one differs, so without --rotate a re-run keeps it). The old key stops working when that step runs. Each
 * rotation is audited by name; the values never leave the store. Called after the gates passed.
 */
export async function rotateApiKeys(a: AppContext, deploymentId: string, login: string, plan: Plan): Promise<string[]> {
  const names = allApiGrants(plan).map((g) => g.keySecret); // one key per entity reached (issue 18)
  if (names.length === 0)
    throw refused('--rotate renews the keys of API connections, and this plan has none', {
      fix: 'run deploy without --rotate, or add apiAccess to an integration of the plan',
    });
  const store = new SecretStore(a.home);
  const audit = await a.store();
  for (const name of names) {
    store.set(name, Secret.generate(32));
    process.stderr.write(`rotated secret ${name} (new API key, stored encrypted; written to Dolibarr by this run)\n`);
    await audit.appendAudit({
      at: a.now().toISOString(),
      actor: login,
      role: '-',
      action: 'secret-rotated',
      deploymentId,
      summary: `rotated secret ${name} (new API key; value stored encrypted, never shown)`,
      before: null,
      after: { secret: name },
    });
  }
  return names;
}
