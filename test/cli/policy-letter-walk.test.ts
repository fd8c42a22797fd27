import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { DeploymentRecord } from '../../src/core/record.js';
import { teamYaml, workspace, type Workspace } from '../helpers/cli.js';
import { act, allVerificationResults, newRecord, passingValidation, planInput, policy } from '../helpers/records.js';

/**
 * Issue 16 "No shortcut past a rule" through the real executable, on a production deployment from its run
 * to closed: a hand-written `warn` at 3.8 s fails the page-load item; the handoff pack is a PDF; training
 * outside the policy range needs a reason; the client sign-off confirms each item; close needs the
 * deployment report (recorded by `report --as`) and the knowledge-base update. And: a reviser never approves.
 */
const id = 'acme-2026-12';
const day = (d: number, hour = 10) => new Date(Date.UTC(2026, 11, 5 + d, hour)).toISOString();
const byRole: Record<string, string> = {
  'technical-lead': 'tina',
  'deployment-manager': 'dave',
  'client-success-manager': 'carla',
  qa: 'quinn',
};

/** Production, walked by the core to `verifying`: ready and scheduled on Dec 4, run inside the window on Dec 5. */
function verifying(): DeploymentRecord {
  const prepared = new Date('2026-12-04T08:00:00Z');
  let r = act(newRecord(), 'approve', {}, 'dave', prepared);
  for (const item of policy.checklist.mandatory.filter((i) => !i.auto || i.auto === 'backup'))
    r = act(r, 'tick', { item: item.id, evidence: [{ kind: 'text', text: 'done' }] }, byRole[item.role]!, prepared);
  r = act(r, 'record-validation', passingValidation(prepared), 'quinn', prepared);
  r = act(r, 'ready', {}, 'tina', prepared);
  r = act(r, 'schedule', { clientApprovedBy: 'Jane Client' }, 'dave', prepared);
  const inWindow = new Date('2026-12-05T20:30:00Z');
  r = act(r, 'start-run', {}, 'tina', inWindow);
  return act(r, 'finish-run', { outcome: 'succeeded', durationSeconds: 1200, downtimeSeconds: 40 }, 'tina', inWindow);
}

async function seeded(record: DeploymentRecord): Promise<Workspace> {
  const ws = workspace();
  const store = new SqliteStore(ws.storePath);
  await store.create({
    record,
    audit: {
      at: '2026-12-05T20:50:00Z',
      actor: 'tina',
      role: 'technical-lead',
      action: 'plan-submit',
      deploymentId: id,
      summary: 'test record',
      before: null,
      after: null,
    },
  });
  await store.close();
  return ws;
}

describe('a production deployment from its run to closed, by the letter of the policy', () => {
  it('refuses each shortcut with what to do, then closes once every record is there', async () => {
    const ws = await seeded(verifying());
    let clock = day(0, 21);
    const run = (args: string[]) => ws.run(args, { MOKODEPLOY_CLOCK: clock });
    const ok = (args: string[]) => {
      const r = run(args);
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
      return r;
    };
    const refused = (args: string[], ...texts: string[]) => {
      const r = run(args);
      expect(r.code, `${args.join(' ')} should be refused`).not.toBe(0);
      for (const t of texts) expect(r.stderr).toContain(t);
    };

    // the reported case: page load p95 3.8 s recorded by hand as `warn`
    const results = allVerificationResults().map((r) =>
      r.id === 'verify.page-load' ? { id: r.id, status: 'warn', observed: 'p95 3.8 s' } : r,
    );
    writeFileSync(join(ws.dir, 'slow.yaml'), stringify(results));
    const slow = ok(['verification-record', id, join(ws.dir, 'slow.yaml'), '--as', 'quinn']);
    expect(slow.stdout).toContain('verification FAILED');
    expect(slow.stderr).toContain("verify.page-load: 3.8 s against the policy's < 2 s is fail, not warn");
    refused(['signoff', id, 'technical', '--as', 'tina'], 'verification items not passed: verify.page-load');
    writeFileSync(join(ws.dir, 'fast.yaml'), stringify(allVerificationResults()));
    ok(['verification-record', id, join(ws.dir, 'fast.yaml'), '--as', 'quinn']);
    ok(['signoff', id, 'technical', '--as', 'tina']);
    ok(['signoff', id, 'go-live', '--as', 'dave']);

    // the handoff pack: a PDF (by its bytes) or the generated pack
    writeFileSync(join(ws.dir, 'notes.txt'), 'see the wiki');
    refused(['handoff-deliver', id, '--as', 'carla', '--file', join(ws.dir, 'notes.txt')], 'notes.txt: neither the handoff pack generated for acme-2026-12 (no sha256 match) nor a PDF');
    writeFileSync(join(ws.dir, 'fake.pdf'), 'not a pdf');
    refused(['handoff-deliver', id, '--as', 'carla', '--file', join(ws.dir, 'fake.pdf')], 'the file is named .pdf but is not a PDF');
    writeFileSync(join(ws.dir, 'handoff.pdf'), '%PDF-1.4\n% pack\n');
    ok(['handoff-deliver', id, '--as', 'carla', '--file', join(ws.dir, 'handoff.pdf')]);

    // training: outside 2-4 h (admin) needs a reason; a held date in the future is refused
    clock = day(1);
    ok(['training', 'plan', id, 'admin', '--as', 'carla', '--at', day(1, 9)]);
    const held = ['training', 'held', id, '1', '--as', 'carla', '--at', day(1, 9), '--attendees', 'Jane,Joe'];
    refused([...held, '--hours', '1.5'], 'Admin training lasted 1.5 h; the policy plans 2-4 h', "fix: record why it was shorter or longer: --reason");
    refused([...held.slice(0, 7), day(2, 9), ...held.slice(8), '--hours', '2'], 'in the future');
    ok([...held, '--hours', '1.5', '--reason', 'two admins only; the third trains next week']);
    ok(['training', 'plan', id, 'user', '--as', 'carla', '--at', day(1, 9)]);
    ok(['training', 'held', id, '2', '--as', 'carla', '--at', day(1, 9), '--hours', '1.5', '--attendees', 'Joe']);

    // the client sign-off, item by item
    refused(['signoff', id, 'client', '--as', 'carla', '--signatory', 'Jane Client, CEO'], 'Functionality approved is not confirmed', 'Support arrangements confirmed is not confirmed');
    ok([
      'signoff', id, 'client', '--as', 'carla', '--signatory', 'Jane Client, CEO',
      '--confirm', 'functionality-approved', '--confirm', 'training-completed',
      '--confirm', 'documentation-accepted=Paul Client, IT',
      '--confirm-link', 'support-confirmed=https://support.example/acme/contract',
    ]);
    const signed = JSON.parse(ws.run(['--json', 'show', id]).stdout).signoffs.find((s: { kind: string }) => s.kind === 'client');
    expect(signed.confirmations).toEqual([
      { item: 'functionality-approved', signatory: 'Jane Client, CEO', evidence: [] },
      { item: 'training-completed', signatory: 'Jane Client, CEO', evidence: [] },
      { item: 'documentation-accepted', signatory: 'Paul Client, IT', evidence: [] },
      { item: 'support-confirmed', evidence: [{ kind: 'link', url: 'https://support.example/acme/contract' }] },
    ]);
    ok(['golive', id, '--as', 'dave']);

    // hypercare: one check-in on each of the first 7 days; close needs the report and the knowledge base
    for (let d = 1; d <= 7; d++) {
      clock = day(d, 12);
      ok(['support', 'checkin', id, '--as', 'carla', '--summary', `day ${d}: all good`]);
    }
    clock = day(9);
    ok(['satisfaction', id, '5', '--as', 'carla']);
    ok(['lesson', id, 'book the training room a week ahead', '--as', 'tina']);
    refused(['close', id, '--as', 'dave'], '[deployment-report] Deployment report completed: not on record', '[knowledge-base] Knowledge base updated: not on record');
    const report = ok(['report', id, 'deployment', '--no-pdf', '--out', join(ws.dir, 'reports'), '--as', 'tina']);
    expect(report.stderr).toBe('');
    refused(['knowledge-base', id, '--as', 'dave', '--evidence', 'updated it'], 'the knowledge-base update needs a link or a file as evidence');
    ok(['knowledge-base', id, '--as', 'dave', '--link', 'https://kb.example/acme/upgrade-notes']);
    ok(['close', id, '--as', 'dave']);
    const show = JSON.parse(ws.run(['--json', 'show', id]).stdout);
    expect(show.state).toBe('closed');
    expect(show.documents.map((d: { kind: string }) => d.kind)).toEqual(['deployment', 'knowledge-base']);
    expect(show.documents[0].evidence[0].name).toBe(`${id}-deployment.html`);
    const audit = ws.dumpStore();
    for (const action of ['record-document', 'knowledge-base', 'signoff', 'training-held'])
      expect(audit).toContain(`"action":"${action}"`);
  });
});

describe('separation of duties through the CLI', () => {
  it('a person holding both roles who revised the plan may not approve it; the refusal is audited', () => {
    const ws = workspace();
    writeFileSync(join(ws.dir, 'team.yaml'), `${teamYaml}  - { login: dual, name: Dual Role, roles: [technical-lead, deployment-manager] }\n`);
    ws.writePlan('plan.yaml', planInput({ environment: 'staging' }));
    ws.writePlan('revised.yaml', planInput({ environment: 'staging', clientName: 'ACME Group' }));
    expect(ws.run(['plan', 'submit', 'plan.yaml', '--as', 'tina']).code).toBe(0);
    expect(ws.run(['plan', 'revise', id, 'revised.yaml', '--as', 'dual']).code).toBe(0);
    const r = ws.run(['approve', id, '--as', 'dual']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('dual revised this plan and may not approve it (separation of duties)');
    expect(ws.dumpStore()).toContain('refused:approve');
    expect(ws.run(['approve', id, '--as', 'dave']).code).toBe(0);
  });
});
