/**
 * Issue 17 inside an upgrade by copy (the default engine) on real Dolibarr: install OLD, upgrade by copy to NEW with a
 * plan whose telemetry is off and which has an outgoing webhook into a loopback sink, then, right after, the rollback
 * before writes (which must find no write since the switch's mark: the integration steps ran before it).
 *
 *   npx tsx scripts/e2e-integrations-upgrade.ts --release /work/releases/dolibarr-20.0.2.tgz --from /work/releases/dolibarr-19.0.4.tgz
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { planSchema } from '../src/core/plan.js';
import { runRollbackBeforeWrites } from '../src/steps/rollback/run-before-writes.js';
import { runCopyUpgrade } from '../src/steps/upgrade-copy/run-copy-upgrade.js';
import { gatherUpgradeFacts } from '../src/steps/upgrade/facts.js';
import { argValue, releaseVersion, runScript } from '../test/helpers/e2e-script.js';
import { startInstallStack } from '../test/helpers/install-stack/index.js';
import { startHttpSink } from '../test/helpers/integrations/http-sink.js';
import { engineFor, upgradeOverrides } from '../test/helpers/upgrade/index.js';
import { servedDatabase } from '../test/helpers/upgrade/served.js';

const versionOf = (p: string) => releaseVersion(p) ?? '';
const line = (label: string, text: string) => console.log(`${label.padEnd(13)} ${text}`);
const sha256 = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

async function main(): Promise<number> {
  const [newTgz, oldTgz] = [argValue('--release'), argValue('--from')];
  if (!newTgz || !oldTgz || !versionOf(newTgz) || !versionOf(oldTgz))
    throw new Error('usage: --release PATH/dolibarr-NEW.tgz --from PATH/dolibarr-OLD.tgz');
  const sink = await startHttpSink();
  const stack = await startInstallStack({
    release: oldTgz,
    version: versionOf(oldTgz),
    sha256: sha256(oldTgz),
    mariadbArgs: ['--innodb-buffer-pool-size=256M', '--innodb-log-file-size=128M'],
  });
  line('installed', `${versionOf(oldTgz)} in ${(stack.installMs / 1000).toFixed(1)} s`);
  let failures = 0;
  try {
    const live = () => servedDatabase(stack);
    const ping = async () =>
      (
        await stack.db.rootClient.query(
          `SELECT entity, value FROM \`${live()}\`.llx_const WHERE name = 'MAIN_FIRST_PING_OK_ID' ORDER BY entity`,
        )
      )
        .map((r) => r.join('='))
        .join(', ');
    const plan = planSchema.parse({
      ...stack.plan,
      kind: 'upgrade',
      dolibarr: { version: versionOf(newTgz), release: newTgz, sha256: sha256(newTgz) },
      integrations: [
        {
          id: 'erp-events',
          kind: 'api',
          webhook: { url: `${sink.url}/erp/events`, triggers: ['COMPANY_CREATE', 'COMPANY_DELETE'] },
        },
      ],
    });
    const facts = await gatherUpgradeFacts(stack.host, plan, { ...upgradeOverrides(stack), skipCron: true });
    const e = engineFor(stack, { ...stack.ctx, plan, facts: { ...facts } });
    const up = await runCopyUpgrade(e);
    line(
      'upgrade',
      `${up.outcome}${up.reason ? `: ${up.reason}` : ''} in ${(up.durationMs / 1000).toFixed(1)} s`,
    );
    for (const s of up.steps.filter((x) => /telemetry|integrations:|write-mark|switch/.test(x.id)))
      line('  step', `${s.id.padEnd(30)} ${(s.ms / 1000).toFixed(2)} s`);
    line('live schema', live());
    const after = await ping();
    line('first ping', `MAIN_FIRST_PING_OK_ID ${after}`);
    if (after !== '0=disabled, 1=disabled') failures++;
    for (const x of sink.requests) {
      const body = x.json as { triggercode?: string; object?: { name?: string } } | undefined;
      line('webhook', `${x.method} ${x.path} ${body?.triggercode} "${body?.object?.name}"`);
    }
    if (
      sink.requests.map((x) => (x.json as { triggercode?: string })?.triggercode).join() !==
      'COMPANY_CREATE,COMPANY_DELETE'
    )
      failures++;
    if (up.outcome !== 'upgraded') return 1;
    const back = await runRollbackBeforeWrites({
      ...engineFor(stack, {
        ...stack.ctx,
        plan,
        facts: { ...up.facts, badRelease: up.newRelease, reason: 'e2e' },
      }),
    });
    line(
      'rollback',
      `before writes ${back.ok ? 'OK' : `FAILED: ${back.reason}`} in ${(back.durationMs / 1000).toFixed(1)} s; live schema ${live()}`,
    );
    if (!back.ok) failures++;
  } finally {
    await Promise.all([stack.stop(), sink.stop()]);
  }
  line('result', failures === 0 ? 'OK' : `${failures} problems`);
  return failures === 0 ? 0 : 1;
}

runScript(main);
