import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteStore } from '../../../src/store/sqlite.js';
import { readOrCreateAuditSigner } from '../../../src/audit/signing-key.js';
import { anchorFileFor } from '../../../src/audit/anchor.js';
import type { DeploymentRecord } from '../../../src/core/record.js';
import type { PlanInput } from '../../../src/core/plan.js';
import { act, newRecord, passingValidation, policy } from '../records.js';
import { teamYaml, workspace, type Workspace } from '../cli.js';

export const contacts: PlanInput['contacts'] = [
  { name: 'Jane Client', email: 'jane@acme.test', role: 'approver' },
  { name: 'Kim User', email: 'kim@acme.test', role: 'key-user' },
  { name: 'Ivan IT', email: 'ivan@acme.test', role: 'it' },
];

const byRole: Record<string, string> = {
  'technical-lead': 'tina',
  'deployment-manager': 'dave',
  'client-success-manager': 'carla',
  qa: 'quinn',
};

/** A production record walked by the core to `ready` (approved, checklist ticked, validated) at `at`. */
export function readyRecord(at: Date, overrides: Partial<PlanInput> = {}): DeploymentRecord {
  let r = act(newRecord({ contacts, ...overrides }), 'approve', {}, 'dave', at);
  for (const item of policy.checklist.mandatory.filter((i) => !i.auto || i.auto === 'backup'))
    r = act(r, 'tick', { item: item.id, evidence: [{ kind: 'text', text: 'done' }] }, byRole[item.role]!, at);
  r = act(r, 'record-validation', passingValidation(at), 'quinn', at);
  return act(r, 'ready', {}, 'tina', at);
}

/** The team file of the CLI tests, with e-mails, the relay and (optionally) the chat webhook. */
export function notifyTeamYaml(smtpPort: number, webhook?: string, extra = ''): string {
  const withMail = teamYaml.replace(/\{ login: (\w+), name: ([^,]+),/g, (_, login: string, name: string) => `{ login: ${login}, name: ${name}, email: ${login}@moko.test,`);
  return `${withMail}notify:
  from: deploy@moko.test
  fromName: MokoCRM deployments
  smtp: { host: 127.0.0.1, port: ${smtpPort}, tls: none }
${webhook ? `  webhook: { url: "${webhook}" }\n` : ''}${extra}`;
}

/** A workspace whose store holds `record` (written directly: no messages for how it got there). */
export async function seededWorkspace(
  records: DeploymentRecord | DeploymentRecord[],
  team: string,
  at: string,
): Promise<Workspace> {
  const ws = workspace();
  writeFileSync(join(ws.dir, 'team.yaml'), team);
  // signed with the workspace's audit key and anchored where the CLI looks: `audit verify` holds afterwards
  const keyFile = ws.env.MOKODEPLOY_AUDIT_KEY_FILE!;
  const store = new SqliteStore(ws.storePath, {
    signer: readOrCreateAuditSigner(keyFile),
    anchorFile: anchorFileFor(ws.storePath, keyFile),
  });
  for (const record of [records].flat())
    await store.create({
      record,
      audit: { at, actor: 'tina', role: 'technical-lead', action: 'plan-submit', deploymentId: record.id, summary: 'test record', before: null, after: null },
    });
  await store.close();
  return ws;
}
