import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import type { Check, CheckContext, Finding } from './finding.js';
import { finding, unknown } from './result.js';
import { fetchServedChain } from './tls-fetch.js';
import { judgeChain, trustAnchors } from './tls-chain.js';
import { siteAddress } from './site-address.js';
import { ask, type ProbeRequest } from './probe.js';

const day = 86_400_000;

/** The private key file, read through sudo (it is root-only on a sane server). */
const keyProbe = (ctx: CheckContext): ProbeRequest => ({
  command: { argv: ['cat', '--', ctx.plan.site.tls.key], sudo: true },
});

async function keyMatches(
  ctx: CheckContext,
  cert: X509Certificate,
): Promise<{ ok: boolean; detail: string } | { error: string }> {
  const read = await ask(ctx, keyProbe(ctx));
  if (!read.ok) return { error: `cannot read ${ctx.plan.site.tls.key}: ${read.reason}` };
  try {
    const pem = read.stdout;
    const der = (k: ReturnType<typeof createPublicKey>) => k.export({ type: 'spki', format: 'der' });
    const ok = der(createPublicKey(createPrivateKey(pem))).equals(der(cert.publicKey));
    return {
      ok,
      detail: ok
        ? 'the key file matches the served certificate'
        : `${ctx.plan.site.tls.key} does not match the served certificate`,
    };
  } catch (e) {
    return { error: `cannot parse ${ctx.plan.site.tls.key}: ${(e as Error).message}` };
  }
}

/** Policy "SSL certificate installed and valid": what the server really sends for the plan's domain. */
export const tlsCheck: Check = {
  id: 'tls',
  title: 'TLS certificate',
  policyRef: 'env.server.tls',
  probes: (ctx) => [keyProbe(ctx)],
  async run(ctx) {
    const { domain, httpsPort } = ctx.plan.site;
    const days = ctx.policy.environment.server.tls.expiryWarningDays;
    const address = siteAddress(ctx);
    const served = await fetchServedChain(
      address,
      httpsPort,
      domain,
      ctx.options?.commandTimeoutMs ?? 10_000,
    );
    const t = (s: string) => ({ idSuffix: s, title: `TLS certificate: ${s}` });
    if (!served.ok) {
      if (served.refused)
        return [
          finding(this, 'fail', served.reason, `HTTPS served for ${domain}:${httpsPort}`, {
            ...t('served'),
            remediation: 'install the certificate and enable HTTPS in the web server',
          }),
        ];
      return [unknown(this, `HTTPS served for ${domain}:${httpsPort}`, served.reason, 'served')];
    }
    const leaf = served.chain[0]!;
    const out: Finding[] = [];
    const from = new Date(leaf.validFrom);
    const to = new Date(leaf.validTo);
    const left = Math.floor((to.getTime() - ctx.now.getTime()) / day);
    const validity = `valid now and for more than ${days} days`;
    const observed = `valid ${from.toISOString()} .. ${to.toISOString()} (${left} days left)`;
    if (ctx.now < from || ctx.now > to)
      out.push(
        finding(this, 'fail', `${ctx.now > to ? 'EXPIRED' : 'not yet valid'}: ${observed}`, validity, {
          ...t('validity'),
          remediation: 'renew the certificate (certbot renew) and reload the web server',
        }),
      );
    else if (left < days)
      out.push(
        finding(this, 'warn', observed, validity, {
          ...t('validity'),
          remediation: 'renew the certificate before the deployment',
        }),
      );
    else out.push(finding(this, 'pass', observed, validity, t('validity')));
    const matched = leaf.checkHost(domain);
    out.push(
      finding(
        this,
        matched ? 'pass' : 'fail',
        `subject ${leaf.subject.replace(/\n/g, ', ')}; names ${leaf.subjectAltName ?? 'none'}`,
        `covers ${domain}`,
        {
          ...t('hostname'),
          remediation: `issue a certificate whose subjectAltName includes ${domain}`,
        },
      ),
    );
    let anchors;
    try {
      anchors = trustAnchors(ctx.options?.trustedCaFile);
    } catch (e) {
      anchors = undefined;
      out.push(
        unknown(
          this,
          'complete chain to a trusted root',
          `cannot read trusted CA file: ${(e as Error).message}`,
          'chain',
        ),
      );
    }
    if (anchors) {
      const chain = judgeChain(served.chain, anchors);
      out.push(
        chain.status === 'complete'
          ? finding(this, 'pass', chain.path, 'complete chain to a trusted root', t('chain'))
          : finding(this, 'fail', chain.reason, 'complete chain to a trusted root', {
              ...t('chain'),
              remediation: 'serve the full chain (ssl_certificate = fullchain.pem) from a trusted CA',
            }),
      );
    }
    const key = await keyMatches(ctx, leaf);
    out.push(
      'error' in key
        ? unknown(this, `${ctx.plan.site.tls.key} matches`, key.error, 'key')
        : finding(this, key.ok ? 'pass' : 'fail', key.detail, `${ctx.plan.site.tls.key} matches`, {
            ...t('key'),
            remediation: 'point site.tls.key at the key of the served certificate, or reload the web server',
          }),
    );
    return out;
  },
};
