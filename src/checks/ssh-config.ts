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

const listenersProbe: ProbeRequest = { command: { argv: ['ss', '-Htlnp'], sudo: true } };

/** The pid of the sshd listening on `port` in `ss -Htlnp` output (users:(("sshd",pid=N,fd=3))). */
export function sshdListening(ssOutput: string, port: number): number | undefined {
  for (const line of ssOutput.split('\n')) {
    const local = line.trim().split(/\s+/)[3] ?? '';
    if (!local.endsWith(`:${port}`)) continue;
    const m = /\("sshd",pid=(\d+)/.exec(line);
    if (m) return Number(m[1]);
  }
  return undefined;
}

/** The options sshd was started with that change its configuration: -f FILE and each -o KEY=VALUE. */
export function sshdStartOptions(cmdline: string): string[] {
  let args = cmdline.split('\0').filter(Boolean);
  // a running sshd rewrites its title: "sshd: /usr/sbin/sshd -D -f /etc/x/sshd_config [listener] 0 of 10-100 startups"
  const title = /^sshd: (.*?)(?: \[listener\].*)?$/.exec(args.join(' '));
  if (title) args = title[1]!.split(' ');
  args = args.slice(1);
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if ((a === '-f' || a === '-o') && args[i + 1] !== undefined) out.push(a, args[++i]!);
    else if (/^-[fo]./.test(a)) out.push(a.slice(0, 2), a.slice(2));
  }
  return out;
}

/**
 * The `sshd -T` to ask: with the plan's explicit config file when validation options name one, else with
 * the -f/-o options of the sshd that actually listens on the plan's SSH port (a second sshd, or one
 * started with its own file, does not read /etc/ssh/sshd_config: issue 25). `where` says which.
 */
async function effectiveConfigProbe(ctx: CheckContext): Promise<{ request: ProbeRequest; where: string }> {
  const file = ctx.options?.sshdConfig;
  const sshdT = (opts: string[]): ProbeRequest => ({
    command: { argv: ['sshd', '-T', ...opts], sudo: true },
  });
  if (file) return { request: sshdT(['-f', file]), where: file };
  const port = ctx.plan.target.port;
  const listeners = await ask(ctx, listenersProbe);
  const pid = listeners.ok ? sshdListening(listeners.stdout, port) : undefined;
  if (pid === undefined)
    return {
      request: sshdT([]),
      where: `no sshd seen listening on port ${port}${listeners.ok ? '' : ` (${listeners.reason})`}: the default config`,
    };
  const cmdline = await ask(ctx, { command: { argv: ['cat', `/proc/${pid}/cmdline`], sudo: true } });
  if (!cmdline.ok) return { request: sshdT([]), where: `sshd pid ${pid} on port ${port}: ${cmdline.reason}` };
  const opts = sshdStartOptions(cmdline.stdout);
  return {
    request: sshdT(opts),
    where: `the sshd on port ${port} (pid ${pid}${opts.length ? `, ${opts.join(' ')}` : ''})`,
  };
}

/** Policy "SSH access restricted": the effective config (sshd -T) of the sshd on the plan's port, not a file as written. */
export const sshConfigCheck: Check = {
  id: 'ssh-config',
  title: 'SSH access restricted',
  policyRef: 'env.security.ssh',
  // with an explicit config file its sshd -T goes in the batch; else the listeners do (then two more asks)
  probes: (ctx) =>
    ctx.options?.sshdConfig
      ? [{ command: { argv: ['sshd', '-T', '-f', ctx.options.sshdConfig], sudo: true } }]
      : [listenersProbe],
  async run(ctx) {
    const { request, where } = await effectiveConfigProbe(ctx);
    const p = await ask(ctx, request);
    if (!p.ok)
      return ['root-login', 'password-auth'].map((s) =>
        unknown(this, 'sshd -T readable', `${p.reason} (${where})`, s),
      );
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
          detail: `read from ${where}`,
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
          detail: `read from ${where}`,
          remediation: 'set PasswordAuthentication no and KbdInteractiveAuthentication no, then reload sshd',
        },
      ),
    ];
  },
};
