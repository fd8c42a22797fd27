import { describe, expect, it } from 'vitest';
import type { Step, StepContext } from '../../src/steps/step.js';
import { planRun, renderDryRun } from '../../src/runner/index.js';

const ctx = { plan: {}, policy: {}, facts: { v: '1' }, outputs: {} } as unknown as StepContext;
const steps: Step[] = [
  {
    id: 'a',
    title: 'Choose a name',
    policyRef: 't',
    plan: (c) => {
      c.outputs.dir = `/r/${String(c.facts.v)}`;
      return [{ kind: 'run', description: 'mk', command: { argv: ['mkdir', '-p', String(c.outputs.dir)] } }];
    },
  },
  {
    id: 'b',
    title: 'Use it',
    policyRef: 't',
    plan: (c) => [
      {
        kind: 'write',
        description: 'w',
        file: { path: `${String(c.outputs.dir)}/f`, content: 'x', mode: 0o600 },
      },
    ],
  },
  { id: 'c', title: 'Nothing', policyRef: 't', plan: () => [] },
];

describe('planRun / renderDryRun', () => {
  it('numbers actions across steps and passes outputs on', () => {
    const planned = planRun(steps, ctx);
    expect(planned[0]!.outputs).toEqual({ dir: '/r/1' });
    expect(ctx.outputs).toEqual({}); // the caller's context is not changed
    expect(renderDryRun(planned)).toBe(
      [
        '[1/3] a — Choose a name',
        '    1. mkdir -p /r/1',
        '[2/3] b — Use it',
        '    2. write /r/1/f (mode 0600, 1 bytes)',
        '[3/3] c — Nothing (nothing to do)',
      ].join('\n'),
    );
  });

  it('marks steps done by an interrupted run and uses their recorded outputs', () => {
    const text = renderDryRun(planRun(steps, ctx, new Map([['a', { dir: '/r/old' }]])));
    expect(text).toContain('[1/3] a — Choose a name (done by the interrupted run: skipped)');
    expect(text).toContain('    2. write /r/old/f (mode 0600, 1 bytes)');
  });

  it('refuses duplicate step ids (the journal keys on them)', () => {
    expect(() => planRun([steps[0]!, steps[0]!], ctx)).toThrow(/two steps share the id "a"/);
  });
});
