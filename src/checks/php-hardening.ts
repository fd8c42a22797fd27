import type { Check, CheckContext } from './finding.js';
import { readFpmFacts } from './php-probe.js';
import { probe } from './probe.js';
import { finding, unknown } from './result.js';

/**
 * PHP settings Dolibarr's security page and Docker image recommend (shared/DOLIBARR.md §10,
 * htdocs/admin/system/security.php): one part of "Server hardened per security standards".
 * Recommendations, so a miss is a warning, not a failure.
 */
const rules: { directive: string; ok: (v: string) => boolean; want: string }[] = [
  { directive: 'expose_php', ok: (v) => /^(off|0|)$/i.test(v), want: 'Off' },
  { directive: 'allow_url_fopen', ok: (v) => /^(off|0|)$/i.test(v), want: 'Off' },
  { directive: 'session.use_strict_mode', ok: (v) => /^(on|1)$/i.test(v), want: '1' },
  {
    directive: 'disable_functions',
    ok: (v) =>
      ['exec', 'passthru', 'shell_exec', 'system', 'proc_open', 'popen'].every((f) =>
        v
          .split(',')
          .map((x) => x.trim())
          .includes(f),
      ),
    want: 'exec, passthru, shell_exec, system, proc_open, popen',
  },
];

const cliCode = `echo json_encode(array_map(fn($d) => (string) ini_get($d), array_combine($argv2 = array_slice($argv, 1), $argv2)));`;

/** The web server's PHP (FPM) when the plan names it, else php-cli. */
async function readIni(
  ctx: CheckContext,
): Promise<{ ok: true; source: string; ini: Record<string, string> } | { ok: false; reason: string }> {
  const fpm = await readFpmFacts(ctx);
  if (fpm?.ok) return { ok: true, source: fpm.facts.binary, ini: fpm.facts.ini };
  const php = ctx.options?.phpBinary ?? 'php';
  const p = await probe(ctx, { argv: [php, '-r', cliCode, '--', ...rules.map((r) => r.directive)] });
  if (!p.ok) return p;
  try {
    return { ok: true, source: 'php-cli', ini: JSON.parse(p.stdout) as Record<string, string> };
  } catch {
    return { ok: false, reason: `unexpected output from ${php}: ${p.stdout.slice(0, 200)}` };
  }
}

export const phpHardeningCheck: Check = {
  id: 'php-hardening',
  title: 'PHP hardening (Dolibarr security recommendations)',
  policyRef: 'env.security.hardening',
  async run(ctx) {
    const threshold = rules.map((r) => `${r.directive}=${r.want}`).join('; ');
    const ini = await readIni(ctx);
    if (!ini.ok) return [unknown(this, threshold, ini.reason)];
    const misses = rules.filter((r) => !r.ok((ini.ini[r.directive] ?? '').replace(/^no value$/, '')));
    const observed = `${ini.source}: ${rules.map((r) => `${r.directive}=${ini.ini[r.directive] || '(empty)'}`).join('; ')}`;
    return misses.length === 0
      ? [finding(this, 'pass', observed, threshold)]
      : [
          finding(this, 'warn', observed, threshold, {
            detail: `not as recommended: ${misses.map((m) => m.directive).join(', ')}`,
            remediation: `set ${misses.map((m) => `${m.directive} = ${m.want}`).join(', ')} in the FPM pool (php_admin_value) or php.ini`,
          }),
        ];
  },
};
