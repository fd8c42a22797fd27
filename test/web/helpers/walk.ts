import type { AppContext } from '../../../src/app/context.js';
import { submitPlanText } from '../../../src/server/plan-submit.js';
import { allVerificationResults, passingValidation } from '../../helpers/records.js';

const manualItems: [string, string][] = [
  ['requirements-documented', 'tina'],
  ['rollback-plan', 'tina'],
  ['backup-verified', 'tina'],
  ['security-scan', 'quinn'],
  ['performance-baseline', 'quinn'],
  ['uat-completed', 'carla'],
  ['training-materials', 'carla'],
  ['client-signoff', 'carla'],
];

/** Seed a deployment through the core (the same app.act the server uses), up to a state. */
export async function seedDeployment(
  app: AppContext,
  yaml: string,
  until: 'submitted' | 'approved' | 'ready' | 'scheduled' | 'verifying' | 'awaiting-signoff' | 'live',
): Promise<string> {
  const { record } = await submitPlanText(app, yaml, { login: 'tina', source: 'seed', submit: true });
  const id = record.id;
  if (until === 'submitted') return id;
  await app.act(id, 'approve', {}, 'dave');
  if (until === 'approved') return id;
  for (const [item, who] of manualItems)
    await app.act(id, 'tick', { item, evidence: [{ kind: 'text', text: `${item} done` }] }, who);
  await app.act(id, 'record-validation', passingValidation(app.now()), 'quinn');
  await app.act(id, 'ready', {}, 'tina');
  if (until === 'ready') return id;
  // a plan window already over is refused at schedule (issue 16): then a window open now, as the runs below assume
  const planned = (await (await app.store()).get(id))!.record.plan.window;
  const now = app.now().getTime();
  // a run is recorded only inside the approved window: past 'scheduled', the window is the one open now
  const runs = !['ready', 'scheduled'].includes(until);
  const window =
    planned && Date.parse(planned.end) > now && !runs
      ? {}
      : { start: new Date(now - 3_600_000).toISOString(), end: new Date(now + 3 * 3_600_000).toISOString() };
  await app.act(id, 'schedule', { clientApprovedBy: 'Alice Client', ...window }, 'dave');
  if (until === 'scheduled') return id;
  const start = new Date(app.now().getTime() - 3_600_000);
  await app.act(
    id,
    'record-run',
    {
      startedAt: start.toISOString(),
      finishedAt: new Date(start.getTime() + 1_800_000).toISOString(),
      downtimeSeconds: 120,
      evidence: [{ kind: 'text', text: 'console log' }],
    },
    'tina',
  );
  if (until === 'verifying') return id;
  await app.act(
    id,
    'record-verification',
    { source: 'manual', results: allVerificationResults('pass') },
    'quinn',
  );
  if (until === 'awaiting-signoff') return id;
  await app.act(id, 'signoff', { kind: 'technical' }, 'tina');
  await app.act(id, 'signoff', { kind: 'go-live' }, 'dave');
  await app.act(
    id,
    'handoff-deliver',
    { evidence: [{ kind: 'link', url: 'https://docs.example/handoff' }] },
    'carla',
  );
  const at = new Date(app.now().getTime() - 600_000).toISOString();
  for (const [n, session, hours] of [
    [1, 'admin', 3],
    [2, 'user', 1.5],
  ] as const) {
    await app.act(id, 'training-plan', { session, plannedAt: at }, 'carla');
    await app.act(
      id,
      'training-held',
      { id: n, heldAt: at, durationHours: hours, attendees: ['Alice Client'] },
      'carla',
    );
  }
  const confirmed = [
    'functionality-approved',
    'training-completed',
    'documentation-accepted',
    'support-confirmed',
  ];
  await app.act(id, 'signoff', { kind: 'client', signatory: 'Alice Client, CEO', confirmed }, 'carla'); // issue 16
  await app.act(id, 'go-live', {}, 'dave');
  await app.act(id, 'issue-open', { title: 'Invoice PDF logo missing', severity: 'minor' }, 'carla');
  await app.act(id, 'issue-resolve', { id: 1, resolution: 'logo path fixed' }, 'tina');
  await app.act(id, 'satisfaction', { score: 4 }, 'carla');
  await app.act(
    id,
    'lesson',
    { text: 'Confirm the SMTP relay with the client a week ahead', tags: ['mail'] },
    'dave',
  );
  return id;
}
