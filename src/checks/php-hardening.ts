import type { Check, CheckContext } from './finding.js';
import { phpProbes, readFpmFacts, readPhpFacts } from './php-probe.js';
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

/** The web server's PHP (FPM) when the plan names it, else php-cli. */
async function readIni(
  ctx: CheckContext,
): Promise<{ ok: true; source: string; ini: Record<string, string> } | { ok: false; reason: string }> {
  const fpm = await readFpmFacts(ctx);
  if (fpm?.ok) return { ok: true, source: fpm.facts.binary, ini: fpm.facts.ini };
  const cli = await readPhpFacts(ctx);
  return cli.ok ? { ok: true, source: 'php-cli', ini: cli.facts.ini } : cli;
}

export const phpHardeningCheck: Check = {
  id: 'php-hardening',
  title: 'PHP hardening (Dolibarr security recommendations)',
  policyRef: 'env.security.hardening',
  probes: phpProbes,
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
