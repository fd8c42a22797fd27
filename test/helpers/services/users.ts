import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

/**
 * Make sure a local test user exists (idempotent), with /bin/sh as shell (root's bash here runs a
 * slow ~/.bashrc for every SSH command). Its password field is "*": no password, but not "locked",
 * which sshd without PAM would refuse.
 * sudo: 'password' puts it in the `sudo` group, whose rule asks for a password, so `sudo -n` fails
 * as on a badly set-up server; 'nopasswd' writes /etc/sudoers.d/moko-test-<name> (a deploy user).
 */
export function ensureUser(name: string, opts: { sudo?: 'password' | 'nopasswd' } = {}): void {
  try {
    execFileSync('id', [name], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--create-home', '--shell', '/bin/sh', name], { stdio: 'ignore' });
  }
  execFileSync('usermod', ['-p', '*', '-s', '/bin/sh', name], { stdio: 'ignore' });
  if (opts.sudo === 'password') execFileSync('usermod', ['-aG', 'sudo', name], { stdio: 'ignore' });
  if (opts.sudo === 'nopasswd') {
    writeFileSync(`/etc/sudoers.d/moko-test-${name}`, `${name} ALL=(ALL:ALL) NOPASSWD: ALL\n`, {
      mode: 0o440,
    });
  }
}

/** The login user the SSH tests and the benchmark use: a deploy user with password-less sudo. */
export const deployUser = 'mokoops';
