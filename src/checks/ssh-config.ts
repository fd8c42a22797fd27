import type { Check, CheckContext } from './finding.js';
import { ask, type ProbeRequest } from './probe.js';
import { finding, unknown } from './result.js';

/** Parse `sshd -T` output ("keyword value" per line, lower-case keywords). */
export function parseSshdT(text: string): Map<string, string> {
  return new Map(
    text
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter((f) => f.length >= 2)
      .map((f) => [f[0]!.toLowerCase(), f.slice(1).join(' ')]),
  );
}

const rootOk = new Set(['no', 'prohibit-password', 'without-password', 'forced-commands-only']);

const sshdTProbe = (ctx: CheckContext): ProbeRequest => {
  const file = ctx.options?.sshdConfig;
  return { command: { argv: ['sshd', '-T', ...(file ? ['-f', file] : [])], sudo: true } };
};

/** Policy "SSH access restricted": the effective sshd config (sshd -T), not the file as written. */
export const sshConfigCheck: Check = {
  id: 'ssh-config',
  title: 'SSH access restricted',
  policyRef: 'env.security.ssh',
  probes: (ctx) => [sshdTProbe(ctx)],
  async run(ctx) {
    const p = await ask(ctx, sshdTProbe(ctx));
    if (!p.ok)
      return ['root-login', 'password-auth'].map((s) => unknown(this, 'sshd -T readable', p.reason, s));
    const cfg = parseSshdT(p.stdout);
    const root = cfg.get('permitrootlogin') ?? '?';
    const password = cfg.get('passwordauthentication') ?? '?';
    const kbd = cfg.get('kbdinteractiveauthentication') ?? cfg.get('challengeresponseauthentication') ?? 'no';
    const pam = cfg.get('usepam') ?? 'no';
    const passwordLike = password === 'yes' || (kbd === 'yes' && pam === 'yes');
    return [
      finding(
        this,
        rootOk.has(root) ? 'pass' : 'fail',
        `PermitRootLogin ${root}`,
        'PermitRootLogin no or prohibit-password',
        {
          idSuffix: 'root-login',
          title: 'No root login with a password',
          remediation:
            'set PermitRootLogin prohibit-password (or no) in /etc/ssh/sshd_config and reload sshd',
        },
      ),
      finding(
        this,
        passwordLike ? 'fail' : 'pass',
        `PasswordAuthentication ${password}, KbdInteractiveAuthentication ${kbd}, UsePAM ${pam}`,
        'keys only (no password authentication)',
        {
          idSuffix: 'password-auth',
          title: 'No password authentication',
          remediation: 'set PasswordAuthentication no and KbdInteractiveAuthentication no, then reload sshd',
        },
      ),
    ];
  },
};
