import type { Check, CheckContext, Finding } from './finding.js';
import { ask, type ProbeRequest } from './probe.js';
import { finding, unknown } from './result.js';

interface Stat {
  mode: number;
  user: string;
  group: string;
}

/** conf.php candidates, the web root and the deployment root, in that order. */
function watchedPaths(ctx: CheckContext): { confCandidates: string[]; webRoot: string; root: string } {
  const { root } = ctx.plan.target;
  const confCandidates = ctx.options?.confPhp
    ? [ctx.options.confPhp]
    : [`${root}/shared/conf/conf.php`, `${root}/current/htdocs/conf/conf.php`];
  return { confCandidates, webRoot: ctx.options?.webRoot ?? `${root}/current/htdocs`, root };
}

// stat exits 1 when a path is missing; the others are still printed
function statProbe(ctx: CheckContext): ProbeRequest {
  const { confCandidates, webRoot, root } = watchedPaths(ctx);
  return {
    command: {
      argv: ['stat', '-L', '-c', '%a %U %G %n', '--', ...confCandidates, webRoot, root],
      sudo: true,
    },
    okCodes: [0, 1],
  };
}

async function statPaths(ctx: CheckContext): Promise<Map<string, Stat> | string> {
  const p = await ask(ctx, statProbe(ctx));
  if (!p.ok) return p.reason;
  const out = new Map<string, Stat>();
  for (const line of p.stdout.split('\n')) {
    const m = /^([0-7]+) (\S+) (\S+) (.+)$/.exec(line);
    if (m) out.set(m[4]!, { mode: parseInt(m[1]!, 8), user: m[2]!, group: m[3]! });
  }
  return out;
}

const octal = (mode: number) => mode.toString(8).padStart(4, '0');

/** Writable by the web server's user or group (Dolibarr index.php: WarningConfFileMustBeReadOnly). */
function webWritable(s: Stat, webUser: string, webGroup: string): boolean {
  return (s.user === webUser && (s.mode & 0o200) !== 0) || (s.group === webGroup && (s.mode & 0o020) !== 0);
}

/**
 * Policy "File permissions set correctly" with Dolibarr's own rules (shared/DOLIBARR.md §3, §10):
 * conf.php neither world-readable nor writable (admin/system/security.php), nor writable by the web
 * server; the web root not world-writable nor writable by the web server.
 */
export const permissionsCheck: Check = {
  id: 'permissions',
  title: 'File permissions',
  policyRef: 'env.security.permissions',
  probes: (ctx) => [statProbe(ctx)],
  async run(ctx) {
    const { webUser, webGroup } = ctx.plan.target;
    const { confCandidates, webRoot, root } = watchedPaths(ctx);
    const stats = await statPaths(ctx);
    if (typeof stats === 'string')
      return [unknown(this, 'readable', stats, 'conf-php'), unknown(this, 'readable', stats, 'web-root')];
    const out: Finding[] = [];
    const confPath = confCandidates.find((c) => stats.has(c));
    const confThreshold = `no world access, not writable by ${webUser}/${webGroup} (e.g. root:${webGroup} 0440)`;
    const conf = confPath ? stats.get(confPath)! : undefined;
    if (!conf) {
      out.push(
        finding(this, 'warn', `no conf.php yet (${confCandidates.join(', ')})`, confThreshold, {
          idSuffix: 'conf-php',
          title: 'conf.php permissions',
          detail: 'checked again after installation',
        }),
      );
    } else {
      const problems = [
        conf.mode & 0o002 ? 'world-writable' : '',
        conf.mode & 0o004 ? 'world-readable' : '',
        webWritable(conf, webUser, webGroup) ? `writable by ${webUser}` : '',
      ].filter(Boolean);
      out.push(
        finding(
          this,
          problems.length ? 'fail' : 'pass',
          `${confPath} ${octal(conf.mode)} ${conf.user}:${conf.group}${problems.length ? ` (${problems.join(', ')})` : ''}`,
          confThreshold,
          {
            idSuffix: 'conf-php',
            title: 'conf.php permissions',
            remediation: `chown root:${webGroup} ${confPath} && chmod 0440 ${confPath}`,
          },
        ),
      );
    }
    const dirPath = stats.has(webRoot) ? webRoot : root;
    const dir = stats.get(dirPath);
    const dirThreshold = `not world-writable, not writable by ${webUser}`;
    if (!dir) {
      out.push(
        finding(this, 'warn', `neither ${webRoot} nor ${root} exists yet`, dirThreshold, {
          idSuffix: 'web-root',
          title: 'Web root permissions',
          detail: 'checked again after installation',
        }),
      );
    } else {
      const worldWritable = (dir.mode & 0o002) !== 0;
      const byWeb = webWritable(dir, webUser, webGroup);
      out.push(
        finding(
          this,
          worldWritable ? 'fail' : byWeb ? 'warn' : 'pass',
          `${dirPath} ${octal(dir.mode)} ${dir.user}:${dir.group}`,
          dirThreshold,
          {
            idSuffix: 'web-root',
            title: 'Web root permissions',
            remediation: `chown -R root:root ${dirPath} && chmod -R go-w ${dirPath}`,
          },
        ),
      );
    }
    return out;
  },
};
