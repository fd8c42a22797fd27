import { Resolver } from 'node:dns/promises';
import type { Check, CheckContext, Finding } from './finding.js';
import {
  commonDkimSelectors,
  joinChunks,
  mailAuthAdvice,
  type DomainTxt,
  type TxtAnswer,
} from './mail-auth-advice.js';
import { finding, unknown } from './result.js';

/** One TXT lookup, its outcome as data (the advice logic never sees an exception). */
export type TxtLookup = (name: string) => Promise<TxtAnswer & { nxdomain?: boolean }>;

/** A TxtLookup over a resolveTxt function (node:dns/promises): no record and no answer kept apart. */
export function txtLookupOf(resolveTxt: (name: string) => Promise<string[][]>): TxtLookup {
  return async (name) => {
    try {
      return { kind: 'records', records: joinChunks(await resolveTxt(name)) };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      if (code === 'ENODATA') return { kind: 'none' };
      if (code === 'ENOTFOUND') return { kind: 'none', nxdomain: true };
      return { kind: 'error', code };
    }
  };
}

/** The system's resolvers (or the servers given), a few seconds per name so validation never hangs on DNS. */
export function resolverTxtLookup(servers?: string[], timeoutMs = 3000): TxtLookup {
  const r = new Resolver({ timeout: timeoutMs, tries: 1 });
  if (servers) r.setServers(servers);
  return txtLookupOf((n) => r.resolveTxt(n));
}

export async function lookupDomain(
  domain: string,
  lookup: TxtLookup,
  selectors = commonDkimSelectors,
): Promise<DomainTxt> {
  const [apex, dmarc, ...dkim] = await Promise.all([
    lookup(domain),
    lookup(`_dmarc.${domain}`),
    ...selectors.map((s) => lookup(`${s}._domainkey.${domain}`)),
  ]);
  return {
    domain,
    apex: apex!,
    dmarc: dmarc!,
    dkim: selectors.map((selector, i) => ({ selector, answer: dkim[i]! })),
  };
}

/** The plan's sender domains and the relay each sends through (email.from, each integration's smtp.from). */
export function senderDomains(plan: CheckContext['plan']): { domain: string; relay: string }[] {
  const out = new Map<string, string>();
  const add = (from: string, relay: string) => {
    const domain = from.slice(from.lastIndexOf('@') + 1).toLowerCase();
    if (domain && !out.has(domain)) out.set(domain, relay);
  };
  for (const i of plan.integrations) if (i.smtp) add(i.smtp.from, i.smtp.host);
  if (plan.email) add(plan.email.from, plan.email.smtpHost);
  return [...out].map(([domain, relay]) => ({ domain, relay }));
}

/** Names reserved for documentation and tests (RFC 2606, RFC 6761): never looked up, never a real sender. */
const reserved = /(^|\.)(test|example|invalid|localhost)$|(^|\.)example\.(com|net|org)$/;

/**
 * Issue 17 "DKIM/SPF advice from a DNS lookup of the sender domain in validation": for each sender domain of the
 * plan, its SPF record, a DKIM key at a common selector and its DMARC policy (src/checks/mail-auth-advice.ts).
 * Advice, not a gate: a missing record warns; only records receivers reject (several SPF records, "+all", too many
 * lookups) fail; no DNS answer is unknown, with the reason.
 */
export function mailAuthCheckWith(lookup: () => TxtLookup): Check {
  return {
    id: 'mail-auth',
    title: 'Sender domain SPF, DKIM and DMARC',
    policyRef: 'env.network.mail',
    async run(ctx) {
      const out: Finding[] = [];
      const l = lookup();
      for (const { domain, relay } of senderDomains(ctx.plan)) {
        if (reserved.test(domain)) {
          out.push(
            finding(
              this,
              'warn',
              `${domain} is reserved for tests (RFC 2606), not looked up`,
              'SPF, DKIM and DMARC published',
              {
                idSuffix: domain,
                remediation: "send from the client's real domain",
              },
            ),
          );
          continue;
        }
        let txt: DomainTxt;
        try {
          txt = await lookupDomain(domain, l);
        } catch (e) {
          out.push(unknown(this, `SPF, DKIM and DMARC on ${domain}`, (e as Error).message, domain));
          continue;
        }
        for (const a of mailAuthAdvice(txt, relay)) {
          const threshold = `${a.part.toUpperCase()} published for ${domain}`;
          out.push(
            a.status === 'unknown'
              ? unknown(this, threshold, `${domain}: ${a.observed}`, `${a.part}.${domain}`)
              : finding(this, a.status, a.observed, threshold, {
                  idSuffix: `${a.part}.${domain}`,
                  ...(a.advice ? { remediation: a.advice } : {}),
                }),
          );
        }
      }
      return out;
    },
  };
}

export const mailAuthCheck: Check = mailAuthCheckWith(() => resolverTxtLookup());
