import type { Check, CheckContext } from './finding.js';
import { ask, type ProbeRequest } from './probe.js';
import { finding, unknown } from './result.js';

function configTestProbe(ctx: CheckContext): ProbeRequest {
  const o = ctx.options ?? {};
  const argv =
    ctx.plan.target.webServer === 'nginx'
      ? [
          'nginx',
          '-t',
          ...(o.nginxPrefix ? ['-p', o.nginxPrefix] : []),
          ...(o.nginxConfig ? ['-c', o.nginxConfig] : []),
        ]
      : o.apacheConfig
        ? ['apache2', '-t', '-f', o.apacheConfig]
        : ['apachectl', '-t'];
  return { command: { argv, sudo: true }, okCodes: [0, 1] };
}

/** `nginx -t` / `apache2 -t`: a broken config would take the site down at the next reload. */
export const webServerConfigCheck: Check = {
  id: 'webserver-config',
  title: 'Web server configuration test',
  policyRef: 'env.server.webserver',
  probes: (ctx) => [configTestProbe(ctx)],
  async run(ctx) {
    const nginx = ctx.plan.target.webServer === 'nginx';
    const request = configTestProbe(ctx);
    const argv = request.command.argv;
    const threshold = `\`${argv.join(' ')}\` succeeds`;
    const p = await ask(ctx, request);
    if (!p.ok) return [unknown(this, threshold, p.reason)];
    const text = `${p.stderr}\n${p.stdout}`.trim();
    if (p.code === 0) return [finding(this, 'pass', nginx ? 'syntax is ok' : 'Syntax OK', threshold)];
    const line = text.split('\n').find((l) => /emerg|error|fail/i.test(l)) ?? text.split('\n')[0] ?? '';
    return [
      finding(this, 'fail', line.slice(0, 300), threshold, {
        detail: text.slice(0, 2000),
        remediation: `fix the configuration reported by ${argv[0]} -t`,
      }),
    ];
  },
};
