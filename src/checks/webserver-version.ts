import type { Check, CheckContext } from './finding.js';
import { ask, type ProbeRequest } from './probe.js';
import { compareVersions, finding, unknown } from './result.js';

const versionProbe = (ctx: CheckContext): ProbeRequest => ({
  command: { argv: ctx.plan.target.webServer === 'nginx' ? ['nginx', '-v'] : ['apache2', '-v'] },
});

/** Policy "Apache 2.4+ or Nginx 1.18+", for the web server the plan uses. */
export const webServerVersionCheck: Check = {
  id: 'webserver-version',
  title: 'Web server version',
  policyRef: 'env.server.webserver',
  probes: (ctx) => [versionProbe(ctx)],
  async run(ctx) {
    const kind = ctx.plan.target.webServer;
    const min = ctx.policy.environment.server.webServer[kind].min;
    const threshold = `${kind} >= ${min}`;
    const p = await ask(ctx, versionProbe(ctx));
    if (!p.ok) return [unknown(this, threshold, p.reason)];
    const text = `${p.stdout}\n${p.stderr}`; // nginx -v prints on stderr
    const m =
      kind === 'nginx' ? /nginx\/(\d+\.\d+(\.\d+)?)/.exec(text) : /Apache\/(\d+\.\d+(\.\d+)?)/.exec(text);
    if (!m) return [unknown(this, threshold, `no version in: ${text.trim().slice(0, 200)}`)];
    const observed = `${kind} ${m[1]}`;
    if (compareVersions(m[1]!, min) < 0)
      return [
        finding(this, 'fail', observed, threshold, { remediation: `upgrade ${kind} to ${min} or later` }),
      ];
    return [finding(this, 'pass', observed, threshold)];
  },
};
