import { spawn } from 'node:child_process';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AppContext } from '../app/context.js';
import { roleFor } from '../core/authorize.js';
import { MokoError, refused } from '../core/errors.js';
import { evaluateGates } from '../core/gates.js';
import { loadDeployment } from './deployment-views.js';
import { assertInWindow } from '../core/window.js';

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
  const actor = await app.actor(login);
  const { record } = await loadDeployment(app, id);
  try {
    roleFor(app.policy(), actor, 'deployment.execute');
  } catch (e) {
    if (e instanceof MokoError) await app.recordRefusal(e, actor.login, 'start-run', id);
    throw e;
  }
  if (record.state !== 'scheduled' && record.state !== 'deploying') {
    throw refused(
      `${id} is ${record.state}: a deployment runs once it is scheduled (or resumes while deploying)`,
    );
  }
  const open =
    record.state === 'scheduled'
      ? evaluateGates(record, 'deploying', { policy: app.policy(), now: app.now() }).open
      : [];
  if (open.length > 0) {
    throw refused(`${id} cannot be deployed while a gate is open`, {
      details: open.map((g) => `[${g.gate}] ${g.message} -> ${g.fix}`),
    });
  }
  assertInWindow(record, app.policy(), app.now(), { command: 'deploy' }); // issue 16: refused here, not only in the log
  const dir = join(app.home, 'logs');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const log = join(dir, `deploy-${id}-${app.now().toISOString().replace(/[:.]/g, '-')}.log`);
  const fd = openSync(log, 'a', 0o600);
  try {
    const child = spawn(process.execPath, [bin, '--home', app.home, 'deploy', id, '--as', actor.login], {
      env: { ...process.env, MOKODEPLOY_TEAM: app.team().file, NO_COLOR: '1' },
      stdio: ['ignore', fd, fd],
      detached: true,
    });
    child.unref();
    return { log, pid: child.pid ?? 0 };
  } finally {
    closeSync(fd);
  }
}
