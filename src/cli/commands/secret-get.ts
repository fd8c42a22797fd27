import { closeSync, openSync, writeSync } from 'node:fs';
import type { AppContext } from '../../app/context.js';
import { roleFor } from '../../core/authorize.js';
import { MokoError, refused } from '../../core/errors.js';
import { SecretStore } from '../../store/secrets.js';

/**
 * `mokodeploy secret get NAME [--out FILE]` (issue 14 point 8): a generated admin password must be readable
 * by the people who run the deployment, and by nobody else, and never end up in a pipe or a log: the value
 * goes to a terminal, or to a file created here with mode 0600 (never over an existing one). Audited.
 */
export async function readSecret(
  a: AppContext,
  name: string,
  o: { out?: string; as?: string },
): Promise<void> {
  const actor = await a.actor(o.as);
  let role: string;
  try {
    role = roleFor(a.policy(), actor, 'secret.read');
  } catch (e) {
    if (e instanceof MokoError && e.security) return a.recordRefusal(e, actor.login, 'secret-read', null);
    throw e;
  }
  if (!o.out && !process.stdout.isTTY)
    throw refused('a secret is shown only on a terminal, never into a pipe or a log', {
      fix: `run it in a terminal, or write it to a new private file: mokodeploy secret get ${name} --out FILE`,
    });
  const value = new SecretStore(a.home).get(name);
  if (o.out) writePrivate(o.out, value.reveal());
  await (
    await a.store()
  ).appendAudit({
    at: a.now().toISOString(),
    actor: actor.login,
    role,
    action: 'secret-read',
    deploymentId: null,
    summary: `read secret ${name} (${o.out ? `into ${o.out}, mode 0600` : 'on a terminal'})`,
    before: null,
    after: { secret: name, ...(o.out ? { file: o.out } : {}) },
  });
  if (o.out) a.out.line(`secret ${name} written to ${o.out} (mode 0600)`);
  else process.stdout.write(`${value.reveal()}\n`); // deliberately unredacted: the one place a value is shown
}

function writePrivate(path: string, value: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600); // exclusive: an existing file (or a link planted there) is refused
  } catch (e) {
    throw refused(`cannot create ${path}: ${(e as NodeJS.ErrnoException).code}`, {
      where: path,
      fix: 'name a new file in a directory you own',
    });
  }
  try {
    writeSync(fd, `${value}\n`);
  } finally {
    closeSync(fd);
  }
}
