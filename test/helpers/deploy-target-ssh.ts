import { prepareDeployTarget, type DeployTarget } from './deploy-target.js';
import { deployUser, ensureUser, sshTargetOf, startSshd, type Sshd } from './services/index.js';

/** A DeployTarget reached over SSH, and the sshd it goes through. */
export interface SshDeployTarget {
  t: DeployTarget;
  sshd: Sshd;
  /** Stops the target's services, then the sshd. */
  stop(): Promise<void>;
}

/**
 * prepareDeployTarget over a real sshd on 127.0.0.1: the plan logs in as the deploy user (a /bin/sh user with
 * password-less sudo, not root) and trusts the sshd's host key through its own known_hosts file.
 */
export async function prepareSshDeployTarget(): Promise<SshDeployTarget> {
  ensureUser(deployUser, { sudo: 'nopasswd' });
  const sshd = await startSshd({ users: [deployUser] });
  try {
    const t = await prepareDeployTarget(sshTargetOf(sshd, deployUser));
    const stop = async () => {
      await t.stop();
      await sshd.stop().catch(() => {});
    };
    return { t, sshd, stop };
  } catch (e) {
    await sshd.stop().catch(() => {});
    throw e;
  }
}
