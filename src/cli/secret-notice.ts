import type { AppContext } from '../app/context.js';
import type { Secret } from '../core/secret.js';
import { SecretStore } from '../store/secrets.js';

/**
 * Issue 14 point 8: a secret a run generates (database password, admin password, cron key) is never a
 * surprise: its NAME is printed on stderr at once and each is audited (the value is neither, ever);
 * `mokodeploy secret get NAME` reads it back.
 */
export interface NoticedSecrets {
  /** The stored secret, generated (and announced) when missing. */
  secret(name: string): Secret;
  /** Audit the secrets generated since the last flush. */
  flush(): Promise<void>;
}

export function noticedSecrets(a: AppContext, deploymentId: string, login: string): NoticedSecrets {
  const store = new SecretStore(a.home);
  let pending: string[] = [];
  const announce = (name: string) => {
    pending.push(name);
    process.stderr.write(
      `generated secret ${name} (stored encrypted; read it with: mokodeploy secret get ${name} --as <login>)\n`,
    );
  };
  return {
    secret: (name) => store.getOrGenerate(name, 32, announce),
    async flush() {
      const names = pending;
      pending = [];
      for (const name of names) await auditGenerated(a, deploymentId, login, name);
    },
  };
}

async function auditGenerated(
  a: AppContext,
  deploymentId: string,
  login: string,
  name: string,
): Promise<void> {
  await (
    await a.store()
  ).appendAudit({
    at: a.now().toISOString(),
    actor: login,
    role: '-',
    action: 'secret-generated',
    deploymentId,
    summary: `generated secret ${name} (value stored encrypted, never shown)`,
    before: null,
    after: { secret: name },
  });
}
