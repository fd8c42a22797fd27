import { curlConfigLine } from '../escape/curl-config.js';
import type { Command } from '../hosts/host.js';

/**
 * A page of the site requested from the target itself (the site's name resolved to its own address, trusting its
 * own certificate, as the cron page's curl config does: src/steps/install/cron-by-url.ts); the command fails unless
 * the answer contains `expect`, and then prints the start of what came back. The script is constant; the expected
 * text is a positional parameter and the request a curl config on stdin (STYLE.md 2).
 */
const script =
  'body=$(curl -sS -K -) || exit 1; case "$body" in *"$1"*) exit 0;; esac; printf "%s\\n" "$body" | head -c 400 >&2; echo >&2; exit 1';

export interface SiteRequest {
  siteUrl: string;
  /** Path under the site's root, query included, e.g. /public/stripe/ipn.php?test */
  path: string;
  address: string;
  caFile: string;
  /** A POST body (JSON); GET when absent. */
  json?: string;
  expect: string;
  asUser: string;
}

export function siteRequestCommand(r: SiteRequest): Command {
  const url = new URL(r.siteUrl);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  const config = [
    curlConfigLine('url', `${base}${r.path}`),
    curlConfigLine(
      'resolve',
      `${url.hostname}:${port}:${r.address.includes(':') ? `[${r.address}]` : r.address}`,
    ),
    curlConfigLine('cacert', r.caFile),
    ...(r.json !== undefined
      ? [curlConfigLine('header', 'Content-Type: application/json'), curlConfigLine('data', r.json)]
      : []),
    'max-time = 30',
    '',
  ].join('\n');
  return {
    argv: ['sh', '-c', script, 'site-request', r.expect],
    stdin: config,
    asUser: r.asUser,
    timeoutMs: 60_000,
  };
}

/** TLS to an API host from the target: resolves, completes the handshake, gets any HTTP answer (curl exit 0). */
export function tlsReachCommand(host: string, port: number, caFile?: string): Command {
  return {
    argv: [
      'curl',
      '-sS',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code} %{ssl_verify_result}\\n',
      '--max-time',
      '20',
      ...(caFile ? ['--cacert', caFile] : []),
      '--',
      `https://${host}:${port}/`,
    ],
    timeoutMs: 40_000,
  };
}
