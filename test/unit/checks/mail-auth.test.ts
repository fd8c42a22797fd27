import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../../src/policy/load.js';
import { allChecks } from '../../../src/checks/index.js';
import { mailAuthAdvice, type DomainTxt, type TxtAnswer } from '../../../src/checks/mail-auth-advice.js';
import {
  lookupDomain,
  mailAuthCheckWith,
  resolverTxtLookup,
  senderDomains,
  txtLookupOf,
  type TxtLookup,
} from '../../../src/checks/mail-auth.js';
import { LocalHost } from '../../../src/hosts/local.js';
import { makeTestPlan } from '../../helpers/services/plan.js';

/** Issue 17: DKIM/SPF/DMARC advice from TXT records (given as data), and the real resolver when DNS does not answer. */
const rec = (...records: string[]): TxtAnswer => ({ kind: 'records', records });
const none: TxtAnswer = { kind: 'none' };
const dkimKey = 'v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu5kq';
const domain = (over: Partial<DomainTxt>): DomainTxt => ({
  domain: 'acme-sarl.fr',
  apex: rec('google-site-verification=abc123', 'v=spf1 include:_spf.ovh.net mx -all'),
  dmarc: rec('v=DMARC1; p=quarantine; rua=mailto:dmarc@acme-sarl.fr'),
  dkim: [
    { selector: 'default', answer: none },
    { selector: 'selector1', answer: rec(dkimKey) },
  ],
  ...over,
});
const statuses = (d: DomainTxt, relay?: string) =>
  mailAuthAdvice(d, relay).map((a) => `${a.part} ${a.status}`);

describe('mail-auth advice (SPF RFC 7208, DKIM RFC 6376, DMARC RFC 7489)', () => {
  it('a well-kept domain passes all three, quoting what it found', () => {
    const a = mailAuthAdvice(domain({}), 'ssl0.ovh.net');
    expect(a.map((x) => [x.part, x.status, x.observed])).toEqual([
      ['spf', 'pass', 'v=spf1 include:_spf.ovh.net mx -all'],
      ['dkim', 'pass', 'key at selector1._domainkey'],
      ['dmarc', 'pass', 'v=DMARC1; p=quarantine; rua=mailto:dmarc@acme-sarl.fr'],
    ]);
  });

  it('warns about what is missing, with the record to publish', () => {
    const a = mailAuthAdvice(
      domain({ apex: rec('MS=ms12345'), dmarc: none, dkim: [{ selector: 'default', answer: none }] }),
      'smtp.acme-sarl.fr',
    );
    expect(a.map((x) => x.status)).toEqual(['warn', 'warn', 'warn']);
    expect(a[0]!.advice).toContain('v=spf1');
    expect(a[1]!.advice).toContain('._domainkey.acme-sarl.fr');
    expect(a[2]!.advice).toContain('_dmarc.acme-sarl.fr');
    expect(mailAuthAdvice(domain({ apex: { kind: 'none', nxdomain: true } }))[0]!.observed).toBe(
      'acme-sarl.fr does not exist in DNS',
    );
  });

  it('fails the SPF records receivers reject: two records, +all, more than 10 lookups', () => {
    expect(
      statuses(domain({ apex: rec('v=spf1 mx -all', 'v=spf1 include:spf.protection.outlook.com -all') }))[0],
    ).toBe('spf fail');
    expect(statuses(domain({ apex: rec('v=spf1 a mx +all') }))[0]).toBe('spf fail');
    expect(statuses(domain({ apex: rec('v=spf1 all') }))[0]).toBe('spf fail');
    const eleven = Array.from({ length: 11 }, (_, i) => `include:s${i}.example.net`).join(' ');
    expect(statuses(domain({ apex: rec(`v=spf1 ${eleven} -all`) }))[0]).toBe('spf fail');
    // "?all" or no "all" at the end: advice only
    expect(statuses(domain({ apex: rec('v=spf1 mx ?all') }))[0]).toBe('spf warn');
    expect(statuses(domain({ apex: rec('v=spf1 mx') }))[0]).toBe('spf warn');
    expect(statuses(domain({ apex: rec('v=spf1 ~all') }), 'smtp.relay.example')[0]).toBe('spf warn'); // names no server
  });

  it('a revoked DKIM key (empty p=) warns; no DNS answer at all is unknown, never a pass', () => {
    expect(statuses(domain({ dkim: [{ selector: 'mail', answer: rec('v=DKIM1; p=') }] }))[1]).toBe(
      'dkim warn',
    );
    const down: TxtAnswer = { kind: 'error', code: 'ETIMEOUT' };
    const a = mailAuthAdvice({
      domain: 'acme-sarl.fr',
      apex: down,
      dmarc: down,
      dkim: [{ selector: 'default', answer: down }],
    });
    expect(a.map((x) => `${x.part} ${x.status} ${x.observed}`)).toEqual([
      'spf unknown no DNS answer (ETIMEOUT)',
      'dkim unknown no DNS answer (ETIMEOUT)',
      'dmarc unknown no DNS answer (ETIMEOUT)',
    ]);
  });

  it('reads node:dns answers: chunks of one record joined, ENODATA/ENOTFOUND as no record, others as no answer', async () => {
    const answers: Record<string, string[][] | string> = {
      'acme-sarl.fr': [['v=spf1 include:_spf.ovh.net ', 'mx -all']],
      '_dmarc.acme-sarl.fr': 'ENOTFOUND',
      'default._domainkey.acme-sarl.fr': 'ESERVFAIL',
    };
    const lookup = txtLookupOf(async (n) => {
      const a = answers[n] ?? 'ENODATA';
      if (typeof a === 'string') throw Object.assign(new Error(a), { code: a });
      return a;
    });
    const d = await lookupDomain('acme-sarl.fr', lookup, ['default', 'mail']);
    expect(d.apex).toEqual({ kind: 'records', records: ['v=spf1 include:_spf.ovh.net mx -all'] });
    expect(d.dmarc).toEqual({ kind: 'none', nxdomain: true });
    expect(d.dkim).toEqual([
      { selector: 'default', answer: { kind: 'error', code: 'ESERVFAIL' } },
      { selector: 'mail', answer: { kind: 'none' } },
    ]);
    expect(statuses(d)).toEqual(['spf pass', 'dkim warn', 'dmarc warn']);
  });
});

describe('mail-auth check in validation', () => {
  const ctx = (
    plan = makeTestPlan({ email: { from: 'crm@acme-sarl.fr', smtpHost: 'ssl0.ovh.net', smtpPort: 587 } }),
  ) => ({
    host: new LocalHost(),
    policy: loadPolicy(),
    plan,
    now: new Date(),
  });

  it('is registered and checks each sender domain of the plan', async () => {
    expect(allChecks.map((c) => c.id)).toContain('mail-auth');
    const plan = makeTestPlan({
      email: { from: 'crm@acme-sarl.fr', smtpHost: 'ssl0.ovh.net', smtpPort: 587 },
      integrations: [
        {
          id: 'm',
          kind: 'email',
          smtp: {
            host: 'smtp.acme.test',
            port: 587,
            security: 'starttls',
            login: 'x@acme.test',
            password: { secret: 'a/b' },
            from: 'crm@acme.test',
          },
        },
      ],
    });
    expect(senderDomains(plan)).toEqual([
      { domain: 'acme.test', relay: 'smtp.acme.test' },
      { domain: 'acme-sarl.fr', relay: 'ssl0.ovh.net' },
    ]);
    const asked: string[] = [];
    const lookup: TxtLookup = async (n) => {
      asked.push(n);
      return n === 'acme-sarl.fr'
        ? { kind: 'records', records: ['v=spf1 include:mx.ovh.com -all'] }
        : { kind: 'none' };
    };
    const f = await mailAuthCheckWith(() => lookup).run(ctx(plan));
    expect(f.map((x) => [x.checkId, x.status])).toEqual([
      ['mail-auth.acme.test', 'warn'], // reserved for tests: not looked up
      ['mail-auth.spf.acme-sarl.fr', 'pass'],
      ['mail-auth.dkim.acme-sarl.fr', 'warn'],
      ['mail-auth.dmarc.acme-sarl.fr', 'warn'],
    ]);
    expect(asked.some((n) => n.endsWith('acme.test'))).toBe(false);
  });

  it('with a real resolver that gets no answer (a loopback UDP port that swallows queries), every part is unknown, quickly', async () => {
    const sink = createSocket('udp4'); // receives the queries and never answers
    await new Promise<void>((r) => sink.bind(0, '127.0.0.1', () => r()));
    try {
      const started = Date.now();
      const f = await mailAuthCheckWith(() =>
        resolverTxtLookup([`127.0.0.1:${sink.address().port}`], 300),
      ).run(ctx());
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(f.map((x) => [x.checkId, x.status])).toEqual([
        ['mail-auth.spf.acme-sarl.fr', 'unknown'],
        ['mail-auth.dkim.acme-sarl.fr', 'unknown'],
        ['mail-auth.dmarc.acme-sarl.fr', 'unknown'],
      ]);
      expect(f[0]!.detail).toMatch(/acme-sarl\.fr: no DNS answer \((ETIMEOUT|ECONNREFUSED)\)/);
    } finally {
      sink.close();
    }
  });
});
