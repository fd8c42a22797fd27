import type { CheckContext } from './finding.js';
import { ask, type ProbeRequest } from './probe.js';
import { phpRequirements } from './dolibarr-php.js';

export interface PhpFacts {
  version: string;
  memoryLimit: string;
  /** Requirement name -> present. */
  present: Record<string, boolean>;
  /** The ini directives php-hardening judges (phpIniDirectives), as php-cli sees them. */
  ini: Record<string, string>;
}

/** The directives php-hardening.ts judges; read by the same php process as the other facts. */
export const phpIniDirectives = [
  'expose_php',
  'allow_url_fopen',
  'session.use_strict_mode',
  'disable_functions',
];

// Constant PHP code; the requirement and directive lists go in as JSON on argv (data, not code).
const code = `$a = json_decode($argv[1], true); $p = [];
foreach ($a['requirements'] as $q) { $t = $q['probe'];
  $p[$q['name']] = isset($t['extension']) ? extension_loaded($t['extension']) : (isset($t['function']) ? function_exists($t['function']) : class_exists($t['class'])); }
$i = []; foreach ($a['ini'] as $d) { $i[$d] = (string) ini_get($d); }
echo json_encode(['version' => PHP_VERSION, 'memoryLimit' => ini_get('memory_limit'), 'present' => $p, 'ini' => $i]);`;

/** One php-cli process prints every PHP fact the checks need, as JSON. */
export function phpFactsProbe(ctx: CheckContext): ProbeRequest {
  const php = ctx.options?.phpBinary ?? 'php';
  const input = JSON.stringify({ requirements: phpRequirements, ini: phpIniDirectives });
  return { command: { argv: [php, '-r', code, '--', input] } };
}

export async function readPhpFacts(
  ctx: CheckContext,
): Promise<{ ok: true; facts: PhpFacts } | { ok: false; reason: string }> {
  const request = phpFactsProbe(ctx);
  const p = await ask(ctx, request);
  if (!p.ok) return p;
  try {
    return { ok: true, facts: JSON.parse(p.stdout) as PhpFacts };
  } catch {
    return {
      ok: false,
      reason: `unexpected output from ${request.command.argv[0]}: ${p.stdout.slice(0, 200)}`,
    };
  }
}

export interface FpmFacts {
  binary: string;
  version: string;
  memoryLimit: string;
  /** Every "directive => local value => master value" line of -i, by directive (local value). */
  ini: Record<string, string>;
}

/** `php-fpmX.Y -i`, when the plan names the FPM service (e.g. php8.2-fpm). */
export function fpmFactsProbe(ctx: CheckContext): ProbeRequest | undefined {
  const service = ctx.plan.target.phpFpmService;
  if (!service) return undefined;
  const m = /^php(\d+\.\d+)-fpm$/.exec(service);
  return { command: { argv: [m ? `php-fpm${m[1]}` : service, '-i'] } };
}

/** Every PHP probe the PHP checks share (php-cli facts, and PHP-FPM's when the plan names it). */
export const phpProbes = (ctx: CheckContext): ProbeRequest[] =>
  [phpFactsProbe(ctx), fpmFactsProbe(ctx)].filter((r) => r !== undefined);

/** The PHP the web server runs, when the plan names the FPM service. */
export async function readFpmFacts(
  ctx: CheckContext,
): Promise<{ ok: true; facts: FpmFacts } | { ok: false; reason: string } | undefined> {
  const request = fpmFactsProbe(ctx);
  if (!request) return undefined;
  const binary = request.command.argv[0]!;
  const p = await ask(ctx, request);
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
