import { z } from 'zod';
import { defineOperation } from '../operation.js';
import { notFound, refused } from '../errors.js';
import { allChecklistItems, requiredChecklistItems } from '../required-items.js';
import { evidenceInput } from './evidence-input.js';
import type { DeploymentRecord } from '../record.js';
import type { Policy } from '../../policy/types.js';

const editableStates = ['draft', 'submitted', 'approved', 'ready', 'scheduled', 'rolled-back'];

function findItem(record: DeploymentRecord, policy: Policy, itemId: string) {
  const item = requiredChecklistItems(policy, record.plan).find((i) => i.id === itemId);
  if (item) return item;
  const known = allChecklistItems(policy).find((i) => i.id === itemId);
  if (known) {
    throw refused(`checklist item "${itemId}" does not apply to ${record.id} (${known.section})`, {
      fix: 'it applies only when the plan has custom modules or migrates data',
    });
  }
  throw notFound(`there is no checklist item "${itemId}"`, {
    fix: `items of ${record.id}: ${requiredChecklistItems(policy, record.plan)
      .map((i) => i.id)
      .join(', ')}`,
  });
}

function assertEditable(record: DeploymentRecord): void {
  if (!editableStates.includes(record.state)) {
    throw refused(`${record.id} is ${record.state}: the pre-deployment checklist is closed`);
  }
}

/** Policy "Deployment Checklist": an item is done with evidence, by a person holding its role. */
export const tick = defineOperation({
  name: 'tick',
  permission: 'checklist.tick',
  input: z.strictObject({
    item: z.string(),
    evidence: z.array(evidenceInput).min(1, 'a tick needs evidence'),
    note: z.string().optional(),
  }),
  describe: (i) => `ticked ${i.item}`,
  apply(record, input, ctx) {
    assertEditable(record);
    const item = findItem(record, ctx.policy, input.item);
    if (item.auto === 'approval') {
      throw refused(`"${item.id}" is ticked by the approval itself`, {
        fix: `mokodeploy approve ${record.id}`,
      });
    }
    if (!ctx.actor.roles.includes(item.role as never)) {
      throw refused(
        `"${item.label}" is ticked by a ${item.role}; ${ctx.actor.login} is ${ctx.actor.roles.join(', ')}`,
        {
          fix: `act as a ${item.role} (--as)`,
          security: true,
        },
      );
    }
    const prev = record.checklist[item.id];
    const at = ctx.now.toISOString();
    return {
      ...record,
      checklist: {
        ...record.checklist,
        [item.id]: {
          ticked: true,
          evidence: [...(prev?.ticked ? prev.evidence : []), ...input.evidence],
          stamp: { by: ctx.actor.login, role: item.role as never, at },
          history: [
            ...(prev?.history ?? []),
            { action: 'tick', by: ctx.actor.login, at, ...(input.note ? { note: input.note } : {}) },
          ],
        },
      },
    };
  },
});

export const untick = defineOperation({
  name: 'untick',
  permission: 'checklist.tick',
  input: z.strictObject({
    item: z.string(),
    reason: z.string().min(1, 'say why the item is no longer done'),
  }),
  describe: (i) => `unticked ${i.item}`,
  apply(record, input, ctx) {
    assertEditable(record);
    const item = findItem(record, ctx.policy, input.item);
    const prev = record.checklist[item.id];
    if (!prev?.ticked) throw refused(`"${item.id}" is not ticked`);
    return {
      ...record,
      checklist: {
        ...record.checklist,
        [item.id]: {
          ticked: false,
          evidence: [],
          history: [
            ...prev.history,
            { action: 'untick', by: ctx.actor.login, at: ctx.now.toISOString(), note: input.reason },
          ],
        },
      },
    };
  },
});
