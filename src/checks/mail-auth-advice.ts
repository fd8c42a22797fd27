/**
 * DKIM/SPF/DMARC advice for a sender domain from its DNS TXT records (issue 17, outgoing email): pure logic over
 * what the lookup returned, so it is tested on real-looking records without a DNS server. References: SPF RFC 7208
 * (one "v=spf1" record, §4.5; "+all" lets anyone send, §5.1; more than 10 DNS-querying terms is a permerror, §4.6.4),
 * DKIM RFC 6376 §3.6.2.2 (key at <selector>._domainkey.<domain>, "p=" empty = revoked), DMARC RFC 7489 §6.1
 * (_dmarc.<domain>, "v=DMARC1").
 */
export type TxtAnswer =
  | { kind: 'records'; records: string[] }
  | { kind: 'none' } // the name exists without TXT (ENODATA) or does not exist (ENOTFOUND)
  | { kind: 'error'; code: string }; // no answer: timeout, refused, SERVFAIL…

export interface DomainTxt {
  domain: string;
  /** TXT of the domain itself; 'none' with nxdomain when the domain does not exist. */
  apex: TxtAnswer & { nxdomain?: boolean };
  dmarc: TxtAnswer;
  /** TXT at <selector>._domainkey.<domain>, for each selector asked. */
  dkim: { selector: string; answer: TxtAnswer }[];
}

export type AdviceStatus = 'pass' | 'warn' | 'fail' | 'unknown';
export interface Advice {
  part: 'spf' | 'dkim' | 'dmarc';
  status: AdviceStatus;
  observed: string;
  advice?: string;
}

const DNS_TERMS = /^(?:[+\-~?]?(?:include|a|mx|ptr|exists)(?:[:/]|$)|redirect=)/i;

function spfAdvice(d: DomainTxt, relay: string | undefined): Advice {
  const a = d.apex;
  if (a.kind === 'error') return { part: 'spf', status: 'unknown', observed: `no DNS answer (${a.code})` };
  if (a.kind === 'none')
    return {
      part: 'spf',
      status: 'warn',
      observed: a.nxdomain ? `${d.domain} does not exist in DNS` : 'no SPF record',
      advice: `publish a TXT record "v=spf1 … -all" on ${d.domain} naming the servers that send its mail${relay ? ` (the relay ${relay})` : ''}`,
    };
  const spf = a.records.filter((r) => /^v=spf1(\s|$)/i.test(r.trim()));
  if (spf.length === 0)
    return {
      part: 'spf',
      status: 'warn',
      observed: 'no SPF record among the TXT records',
      advice: `publish "v=spf1 … -all" on ${d.domain}`,
    };
  if (spf.length > 1)
    return {
      part: 'spf',
      status: 'fail',
      observed: `${spf.length} SPF records`,
      advice: `merge them into one: receivers treat several "v=spf1" records as a permanent error (RFC 7208 §4.5)`,
    };
  const record = spf[0]!.trim();
  const terms = record.split(/\s+/).slice(1);
  const all = terms.find((t) => /^[+\-~?]?all$/i.test(t));
  const lookups = terms.filter((t) => DNS_TERMS.test(t)).length;
  if (all && /^\+?all$/i.test(all))
    return {
      part: 'spf',
      status: 'fail',
      observed: record,
      advice: 'replace "+all" (anyone may send as this domain) by "-all" or "~all"',
    };
  if (lookups > 10)
    return {
      part: 'spf',
      status: 'fail',
      observed: record,
      advice: `${lookups} terms need DNS lookups; more than 10 is a permanent error (RFC 7208 §4.6.4): flatten includes`,
    };
  if (!all || /^\?all$/i.test(all))
    return {
      part: 'spf',
      status: 'warn',
      observed: record,
      advice: 'end the record with "-all" (or "~all") so other senders are refused',
    };
  if (
    relay &&
    !record.toLowerCase().includes(relay.toLowerCase()) &&
    !terms.some((t) => /^[+]?(include:|a\b|a:|mx\b|mx:|ip[46]:|redirect=)/i.test(t))
  )
    return {
      part: 'spf',
      status: 'warn',
      observed: record,
      advice: `the record names no server: add the relay ${relay}`,
    };
  return { part: 'spf', status: 'pass', observed: record };
}

function dkimAdvice(d: DomainTxt): Advice {
  const found = d.dkim.filter(
    (k) => k.answer.kind === 'records' && k.answer.records.some((r) => /(^|;)\s*p=/i.test(r)),
  );
  const errors = d.dkim.filter((k) => k.answer.kind === 'error');
  if (found.length) {
    const live = found.filter(
      (k) => k.answer.kind === 'records' && k.answer.records.some((r) => /(^|;)\s*p=[A-Za-z0-9+/]/.test(r)),
    );
    const names = found.map((k) => `${k.selector}._domainkey`).join(', ');
    return live.length
      ? {
          part: 'dkim',
          status: 'pass',
          observed: `key at ${live.map((k) => `${k.selector}._domainkey`).join(', ')}`,
        }
      : {
          part: 'dkim',
          status: 'warn',
          observed: `revoked key (empty p=) at ${names}`,
          advice: "publish the relay's current DKIM public key",
        };
  }
  if (errors.length === d.dkim.length && errors.length > 0)
    return {
      part: 'dkim',
      status: 'unknown',
      observed: `no DNS answer (${(errors[0]!.answer as { code: string }).code})`,
    };
  return {
    part: 'dkim',
    status: 'warn',
    observed: `no DKIM key at ${d.dkim.map((k) => k.selector).join(', ')}._domainkey.${d.domain}`,
    advice: `have the relay sign with DKIM and publish its key at <selector>._domainkey.${d.domain} (if it already signs with another selector, check that one)`,
  };
}

function dmarcAdvice(d: DomainTxt): Advice {
  const a = d.dmarc;
  if (a.kind === 'error') return { part: 'dmarc', status: 'unknown', observed: `no DNS answer (${a.code})` };
  const rec = a.kind === 'records' ? a.records.find((r) => /^v=DMARC1(\s*;|$)/i.test(r.trim())) : undefined;
  if (!rec)
    return {
      part: 'dmarc',
      status: 'warn',
      observed: 'no DMARC record',
      advice: `publish "v=DMARC1; p=none; rua=mailto:…" at _dmarc.${d.domain}, then tighten`,
    };
  return { part: 'dmarc', status: 'pass', observed: rec.trim() };
}

/** The advice for one sender domain, given what DNS answered and the relay it sends through. */
export function mailAuthAdvice(d: DomainTxt, relay?: string): Advice[] {
  return [spfAdvice(d, relay), dkimAdvice(d), dmarcAdvice(d)];
}

/** TXT records as node:dns returns them (chunks of one record joined, RFC 7208 §3.3). */
export const joinChunks = (records: string[][]): string[] => records.map((chunks) => chunks.join(''));

/** Common DKIM selectors asked when the plan names none (relays' defaults: Postfix/OpenDKIM, Microsoft 365, Google…). */
export const commonDkimSelectors = [
  'default',
  'mail',
  'dkim',
  'selector1',
  'selector2',
  'google',
  'k1',
  's1',
];
