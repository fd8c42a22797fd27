import type { ApiIntegration } from '../core/plan-integrations.js';
import { Secret } from '../core/secret.js';
import { curlConfigLine } from '../escape/curl-config.js';
import type { Command } from '../hosts/host.js';

/**
 * Policy Phase 2 step 7 "Set up API connections" / "Test external services": the external system answers the target
 * over TLS (certificate checked, against caFile when the plan names a private CA) and, when the plan holds a
 * credential, accepts it: a 2xx/3xx answer passes; 401/403 says the credential is refused, 000 that nothing answered.
 * The request is a curl config on stdin (a Secret: the token never reaches argv); the script is constant.
 */
const script =
  'code=$(curl -sS -o /dev/null -w "%{http_code}" -K -) || exit 1; case "$code" in 2??|3??) exit 0;; esac; echo "HTTP $code" >&2; exit 1';
const reachScript =
  'code=$(curl -sS -o /dev/null -w "%{http_code}" -K -) || exit 1; case "$code" in 000) exit 1;; esac; exit 0';

export function apiCheckCommand(api: ApiIntegration, token: Secret | undefined): Command {
  const header = token
    ? [
        curlConfigLine(
          'header',
          `${api.tokenHeader}: ${api.tokenHeader.toLowerCase() === 'authorization' ? 'Bearer ' : ''}${token.reveal()}`,
        ),
      ]
    : [];
  const config = [
    curlConfigLine('url', api.url),
    ...(api.caFile ? [curlConfigLine('cacert', api.caFile)] : []),
    ...header,
    'max-time = 30',
    '',
  ].join('\n');
  return {
    argv: ['sh', '-c', token ? script : reachScript, 'api-check'],
    stdin: new Secret(config),
    timeoutMs: 60_000,
  };
}
