import type { CheckContext } from './finding.js';
import { probe } from './probe.js';
import { phpRequirements } from './dolibarr-php.js';

export interface PhpFacts {
  version: string;
  memoryLimit: string;
  /** Requirement name -> present. */
  present: Record<string, boolean>;
}

// Constant PHP code; the requirement list goes in as JSON on argv (data, not code).
const code = `$r = json_decode($argv[1], true); $p = [];
foreach ($r as $q) { $t = $q['probe'];
  $p[$q['name']] = isset($t['extension']) ? extension_loaded($t['extension']) : (isset($t['function']) ? function_exists($t['function']) : class_exists($t['class'])); }
echo json_encode(['version' => PHP_VERSION, 'memoryLimit' => ini_get('memory_limit'), 'present' => $p]);`;

export async function readPhpFacts(
  ctx: CheckContext,
): Promise<{ ok: true; facts: PhpFacts } | { ok: false; reason: string }> {
  const php = ctx.options?.phpBinary ?? 'php';
  const p = await probe(ctx, { argv: [php, '-r', code, '--', JSON.stringify(phpRequirements)] });
  if (!p.ok) return p;
  try {
    return { ok: true, facts: JSON.parse(p.stdout) as PhpFacts };
  } catch {
    return { ok: false, reason: `unexpected output from ${php}: ${p.stdout.slice(0, 200)}` };
  }
}

export interface FpmFacts {
  binary: string;
  version: string;
  memoryLimit: string;
  /** Every "directive => local value => master value" line of -i, by directive (local value). */
  ini: Record<string, string>;
}

/** The PHP the web server runs: php-fpmX.Y -i, when the plan names the FPM service (e.g. php8.2-fpm). */
export async function readFpmFacts(
  ctx: CheckContext,
): Promise<{ ok: true; facts: FpmFacts } | { ok: false; reason: string } | undefined> {
  const service = ctx.plan.target.phpFpmService;
  if (!service) return undefined;
  const m = /^php(\d+\.\d+)-fpm$/.exec(service);
  const binary = m ? `php-fpm${m[1]}` : service;
  const p = await probe(ctx, { argv: [binary, '-i'] });
  if (!p.ok) return p;
  const version = /^PHP Version => (\S+)/m.exec(p.stdout)?.[1];
  const memoryLimit = /^memory_limit => (\S+)/m.exec(p.stdout)?.[1];
  if (!version || !memoryLimit)
    return { ok: false, reason: `no version or memory_limit in ${binary} -i output` };
  const ini = Object.fromEntries(
    [...p.stdout.matchAll(/^([a-z_.0-9]+) => (.*?) => .*$/gm)].map((m) => [m[1]!, m[2]!]),
  );
  return { ok: true, facts: { binary, version, memoryLimit, ini } };
}
