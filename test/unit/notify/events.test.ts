import { describe, expect, it } from 'vitest';
import { eventsOf } from '../../../src/notify/events.js';
import { recipientsOf } from '../../../src/notify/recipients.js';
import type { AuditEntry } from '../../../src/audit/entry.js';
import type { DeploymentRecord } from '../../../src/core/record.js';
import { teamSchema } from '../../../src/core/team.js';
import { readyRecord } from '../../helpers/notify/seed.js';
import { act, people } from '../../helpers/records.js';

/** Issue 16: which change causes which message to whom (pure: the entry and the record before and after it). */
const at = new Date('2026-12-04T09:00:00Z');
const entry = (action: string, after: unknown = null): AuditEntry =>
  ({ seq: 1, at: at.toISOString(), actor: 'dave', role: 'deployment-manager', action, deploymentId: 'acme-2026-12', summary: '', before: null, after, prevHash: '', hash: '' }) as AuditEntry;
const change = (action: string, before: DeploymentRecord, after: DeploymentRecord, entryAfter?: unknown) =>
  eventsOf({ entry: entry(action, entryAfter), before, after }).map((e) => [e.kind, e.audience]);

describe('events of a change', () => {
  const ready = readyRecord(new Date('2026-12-04T08:00:00Z'));
  const scheduled = act(ready, 'schedule', { clientApprovedBy: 'Jane Client' }, 'dave', at);
  const run = new Date('2026-12-05T21:00:00Z');
  const deploying = act(scheduled, 'start-run', {}, 'tina', run);

  it('maps the policy communication points, and nothing else', () => {
    expect(change('schedule', ready, scheduled)).toEqual([['window-scheduled', ['approver', 'team']]]);
    expect(change('start-run', scheduled, deploying)).toEqual([['deployment-started', ['approver', 'it', 'team']]]);
    const failed = act(deploying, 'finish-run', { outcome: 'failed', durationSeconds: 60, note: 'step x failed' }, 'tina', run);
    expect(eventsOf({ entry: entry('finish-run'), before: deploying, after: failed }).map((e) => [e.kind, e.values])).toEqual([
      ['deployment-finished', { outcome: 'failed', verification: 'step x failed' }],
    ]);
    const succeeded = act(deploying, 'finish-run', { outcome: 'succeeded', durationSeconds: 60 }, 'tina', run);
    expect(change('finish-run', deploying, succeeded)).toEqual([]); // finished is told with the verification
    expect(change('rollback-decided', succeeded, succeeded, { trigger: 'performance', reason: 'slow' })).toEqual([
      ['rollback-decided', ['approver', 'key-user', 'it', 'team']],
    ]);
    const rolledBack = act(succeeded, 'rollback', { trigger: 'performance', reason: 'slow' }, 'dave', run);
    expect(change('rollback', succeeded, rolledBack)).toEqual([['rollback-completed', ['approver', 'key-user', 'it', 'team']]]);
    expect(change('tick', ready, ready)).toEqual([]);
    expect(change('refused:approve', ready, ready)).toEqual([]);
    expect(eventsOf({ entry: entry('schedule') })).toEqual([]); // no record, no message
  });

  it('recipients: contacts by role, the plan people with an e-mail in the team file, each address once', () => {
    const team = teamSchema.parse({
      people: [
        ...Object.values(people).map((p) => ({ login: p.login, name: p.name, roles: p.roles, ...(p.login === 'quinn' ? {} : { email: `${p.login}@moko.test` }) })),
        { login: 'zoe', name: 'Zoe Other', email: 'zoe@moko.test', roles: ['qa'] },
      ],
    });
    const r = { ...ready, plan: { ...ready.plan, contacts: [...ready.plan.contacts, { name: 'Jane Again', email: 'JANE@acme.test', role: 'it' as const }] } };
    expect(recipientsOf(r, ['approver', 'it', 'team'], team).map((x) => x.address)).toEqual([
      'jane@acme.test',
      'ivan@acme.test',
      'tina@moko.test',
      'dave@moko.test',
      'carla@moko.test',
    ]);
    expect(recipientsOf(r, ['key-user'], undefined).map((x) => x.name)).toEqual(['Kim User']);
  });
});
