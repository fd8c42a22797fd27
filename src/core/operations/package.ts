import { z } from 'zod';
import { always, defineOperation } from '../operation.js';
import { refused } from '../errors.js';
import { voidApproval } from './approval.js';

/**
 * Issue 22, policy Phase 1 step 2 "Prepare deployment package": what `mokodeploy package` built, recorded on the
 * deployment. A package with another hash voids the approval (as a revised plan does): the approval covers one
 * package. A release that does not match Dolibarr's own file list is refused unless a deployment manager
 * recorded an exception for that tarball (package-exception).
 */
const sha256 = z.string().regex(/^[a-f0-9]{64}$/);
const names = z.array(z.string().max(4096)).max(200);

const packageInput = z.strictObject({
  hash: sha256,
  files: z.number().int().min(0),
  bytes: z.number().int().min(0),
  release: z.strictObject({
    file: z.string(),
    sha256,
    version: z.string(),
    fileCheck: z.strictObject({
      listed: z.number().int().min(0),
      missing: names,
      changed: names,
      added: names,
      exception: z.string().optional(),
    }),
  }),
  modules: z.array(z.strictObject({ name: z.string(), files: z.number().int(), origin: z.string() })),
  data: z.array(z.strictObject({ path: z.string(), origin: z.string() })),
  config: z.array(z.string()),
  origins: z.array(z.strictObject({ path: z.string(), from: z.string(), sha256 })),
});

const changeableStates = ['draft', 'submitted', 'approved', 'ready', 'scheduled', 'rolled-back'];

export const recordPackage = defineOperation({
  name: 'record-package',
  permission: 'plan.submit',
  input: packageInput,
  describe: (i) => `built deployment package ${i.hash.slice(0, 12)} (${i.files} files)`,
  engineResult: always,
  apply(record, input, ctx) {
    if (!changeableStates.includes(record.state))
      throw refused(`${record.id} is ${record.state}: its package can no longer change`, {
        fix: 'start a new deployment with a new id for a changed package',
      });
    const check = input.release.fileCheck;
    const mismatch = check.missing.length + check.changed.length + check.added.length > 0;
    const excepted = (record.packageExceptions ?? []).some((e) => e.releaseSha256 === input.release.sha256);
    if (mismatch && !excepted)
      throw refused(`the release does not match Dolibarr's file list`, {
        fix: `a deployment manager records an exception: mokodeploy package ${record.id} --exception "reason"`,
      });
    if (record.package?.hash === input.hash) {
      ctx.warnings.push('the package is unchanged');
      return record;
    }
    const stamp = { by: ctx.actor.login, role: ctx.role, at: ctx.now.toISOString() };
    const next = { ...record, package: { ...input, stamp } };
    if (!record.approval?.packageHash && !['approved', 'ready', 'scheduled'].includes(record.state))
      return next;
    if (['approved', 'ready', 'scheduled'].includes(record.state))
      ctx.warnings.push('the approval covered another package: it must be approved again');
    return voidApproval(next, record, ctx, 'new deployment package');
  },
});

export const packageException = defineOperation({
  name: 'package-exception',
  permission: 'plan.approve',
  input: z.strictObject({
    releaseSha256: sha256,
    reason: z.string().trim().min(10, 'say why the release may differ from its file list (10 characters at least)'),
    findings: names,
  }),
  describe: (i) => `accepted a release that differs from its file list (${i.findings.length} findings): ${i.reason}`,
  apply(record, input, ctx) {
    const stamp = { by: ctx.actor.login, role: ctx.role, at: ctx.now.toISOString() };
    return { ...record, packageExceptions: [...(record.packageExceptions ?? []), { ...input, stamp }] };
  },
});
