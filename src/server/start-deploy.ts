import { spawn } from 'node:child_process';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AppContext } from '../app/context.js';
import { checkDeployStart } from '../queue/deploy-check.js';

/** The CLI executable: the runner (journal, target lock, steps) runs exactly as `mokodeploy deploy` does. */
const bin = resolve(import.meta.dirname, '../../bin/mokodeploy.js');

/**
 * Start `mokodeploy deploy <id> --as <login>` in the background; the page follows it through the
 * journal (server-sent events). Role and gates are checked first so a refusal answers at once
 * (and a role refusal is audited); the run itself re-checks everything in the core.
 */
export async function startDeploy(
  app: AppContext,
  id: string,
  login: string,
): Promise<{ log: string; pid: number }> {
  await checkDeployStart(app, id, login); // role, state, gates, window (shared with the queue)
  const actor = await app.actor(login);
  const dir = join(app.home, 'logs');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const log = join(dir, `deploy-${id}-${app.now().toISOString().replace(/[:.]/g, '-')}.log`);
  const fd = openSync(log, 'a', 0o600);
  try {
    const child = spawn(process.execPath, [bin, '--home', app.home, 'deploy', id, '--as', actor.login], {
      // the dashboard's own store and evidence (a `serve --store postgres://…` is not the SQLite file in the home)
      env: { ...process.env, ...app.childEnv(), MOKODEPLOY_TEAM: app.team().file, NO_COLOR: '1' },
      stdio: ['ignore', fd, fd],
      detached: true,
    });
    child.unref();
    return { log, pid: child.pid ?? 0 };
  } finally {
    closeSync(fd);
  }
}
