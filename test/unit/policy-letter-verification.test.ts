import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultPolicyPath, loadPolicy } from '../../src/policy/load.js';
import { MokoError } from '../../src/core/errors.js';
import { blockingFindings, evaluateGates, unpassedVerificationItems } from '../../src/core/gates.js';
import { observedSeconds } from '../../src/core/verification-thresholds.js';
import type { DeploymentRecord } from '../../src/core/record.js';
import type { Finding } from '../../src/checks/finding.js';
import { act, allVerificationResults, newRecord, passingValidation, policy, refusal, t0 } from '../helpers/records.js';

/** Issue 16: policy thresholds decide verification whatever the source; hardening and mail block the gate. */
const verifying = (): DeploymentRecord => ({ ...newRecord(), state: 'verifying' });

function withPageLoad(result: { status: 'pass' | 'warn' | 'fail'; observed?: string }, source: 'manual' | 'automated') {
  const results = allVerificationResults().map((r) =>
    r.id === 'verify.page-load' ? { id: r.id, ...result } : { ...r, observed: r.observed ?? 'ok' },
  );
  const warnings: string[] = [];
  const r = act(verifying(), 'record-verification', { source, results }, 'quinn', t0, warnings);
  return { r, warnings, pageLoad: r.verifications[0]!.results.find((x) => x.id === 'verify.page-load')! };
}

describe('observed seconds', () => {
  it.each([
    ['3.8 s', 3.8],
    ['3800 ms', 3.8],
    ['p95 3.8 s', 3.8],
    ['1.9', 1.9],
    ['2,5 s', 2.5],
    ['[page-load./index.php (login page)] /index.php (login page): median 0.30 s, p95 0.50 s over 20 loads', 0.5],
    ['[a] median 0.3 s, p95 0.9 s; [b] median 1.1 s, p95 2.40 s over 20 loads', 2.4],
    ['login page answers in 0.4 s', 0.4],
    ['checked by QA', undefined],
    [undefined, undefined],
  ])('%s -> %s', (text, seconds) => {
    expect(observedSeconds(text)).toBe(seconds);
  });
});

describe('the page-load threshold (< 2 s) decides, whatever the source and the status written', () => {
  it.each([
    ['manual', 'warn', '3.8 s', 'fail'],
    ['manual', 'pass', 'p95 3.8 s', 'fail'],
    ['manual', 'pass', '2 s', 'fail'],
    ['manual', 'warn', '1.2 s', 'pass'],
    ['manual', 'fail', '1.2 s', 'pass'],
    ['automated', 'warn', 'median 1.0 s, p95 3.80 s over 20 loads', 'fail'],
    ['automated', 'pass', 'median 0.3 s, p95 0.5 s over 20 loads', 'pass'],
  ] as const)('%s %s at %s is %s', (source, status, observed, expected) => {
    const { pageLoad, r } = withPageLoad({ status, observed }, source);
    expect(pageLoad.status).toBe(expected);
    expect(r.verifications[0]!.passed).toBe(expected === 'pass');
  });

  it('a hand-written warn at 3.8 s keeps the technical sign-off closed (the reported case)', () => {
    const { r, warnings } = withPageLoad({ status: 'warn', observed: '3.8 s' }, 'manual');
    expect(warnings).toEqual(["verify.page-load: 3.8 s against the policy's < 2 s is fail, not warn"]);
    expect(unpassedVerificationItems(r, policy)).toEqual(['verify.page-load']);
    const e = refusal(() => act(r, 'signoff', { kind: 'technical' }, 'tina'));
    expect(e.details.join()).toContain('verify.page-load');
  });

  it('a manual pass without the time measured is refused (the threshold cannot judge it)', () => {
    const e = refusal(() => withPageLoad({ status: 'pass' }, 'manual'));
    expect(e.details).toEqual([
      `verify.page-load is judged against the policy's < 2 s: record the time measured (observed: "p95 1.4 s"), not only "pass"`,
    ]);
  });
});

describe('a manual warn does not pass an item; an automated warn (judged by the check) does', () => {
  it.each([
    ['manual', ['verify.search']],
    ['automated', []],
  ] as const)('%s', (source, unpassed) => {
    const results = allVerificationResults().map((r) => ({
      ...r,
      observed: r.id === 'verify.page-load' ? '0.5 s' : 'ok',
      status: r.id === 'verify.search' ? ('warn' as const) : r.status,
    }));
    const r = act(verifying(), 'record-verification', { source, results }, 'quinn');
    expect(unpassedVerificationItems(r, policy)).toEqual(unpassed);
  });
});

describe('PHP hardening and the mail server block the environment gate like a failure', () => {
  const finding = (checkId: string, policyRef: string, status: Finding['status']): Finding => ({
    checkId,
    title: checkId,
    status,
    observed: 'seen',
    threshold: 'wanted',
    policyRef,
    remediation: `fix ${checkId}`,
  });

  it.each([
    ['php-hardening', 'env.security.hardening', 'warn', true],
    ['mail', 'env.network.mail', 'warn', true],
    ['tls', 'env.server.tls', 'warn', false],
    ['disk', 'env.server.disk', 'fail', true],
    ['dns', 'env.network.dns', 'unknown', true],
    ['mail', 'env.network.mail', 'pass', false],
  ] as const)('%s %s -> blocks: %s', (checkId, ref, status, blocks) => {
    const report = passingValidation(t0);
    report.findings.push(finding(checkId, ref, status));
    report.worst = status;
    expect(blockingFindings(report, policy).length > 0).toBe(blocks);
    const r = act(act(newRecord(), 'approve', {}, 'dave'), 'record-validation', report, 'quinn');
    expect(r.checklist['environment-confirmed']?.ticked).toBe(!blocks);
    const gate = evaluateGates(r, 'ready', { policy, now: t0 }).open.find((g) => g.gate === `validation:${checkId}`);
    expect(gate?.fix).toBe(blocks ? `fix ${checkId}; then run: mokodeploy validate acme-2026-12` : undefined);
  });
});

describe('the policy file keeps one page-load threshold and the client sign-off items', () => {
  const clientItems = /\n {6}# each confirmed explicitly[^\n]*\n {6}items:\n(?: {8}- [^\n]*\n)+/;
  it.each([
    ['a second page-load threshold', (t: string) => t.replace('maxSeconds: 2 }', 'maxSeconds: 3 }'), 'verify.page-load: maxSeconds 3 differs from pageLoadMaxSeconds 2'],
    ['no client sign-off items', (t: string) => t.replace(clientItems, '\n'), 'signoffs.kinds client: items is missing'],
  ])('%s is refused', (_name, change, problem) => {
    const text = readFileSync(defaultPolicyPath, 'utf8');
    const changed = change(text);
    expect(changed).not.toBe(text);
    const file = join(mkdtempSync(join(tmpdir(), 'moko-policy-')), 'policy.yaml');
    writeFileSync(file, changed);
    let error: unknown;
    try {
      loadPolicy(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MokoError);
    const e = error as MokoError;
    expect(`${e.message} ${e.details.join(' ')}`).toContain(problem);
  });
});
