import type { Plan } from '../core/plan.js';
import type { Host } from './host.js';
import { LocalHost } from './local.js';
import { SshHost } from './ssh.js';

/** The Host for a plan's target: "local" is this machine, anything else is reached over SSH. */
export function openHost(target: Plan['target']): Host {
  if (target.host === 'local') return new LocalHost({ sudo: target.sudo });
  return new SshHost({
    host: target.host,
    port: target.port,
    user: target.user,
    identityFile: target.identityFile,
    knownHostsFile: target.knownHostsFile,
    sudo: target.sudo,
  });
}
