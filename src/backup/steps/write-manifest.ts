import type { Step, StepContext } from '../../steps/step.js';
import { liveDatabase } from '../live-database.js';
import { bashCommand } from '../bash.js';
import { backupFacts, backupOf } from '../context.js';
import { manifestFiles } from '../layout.js';

/** backup.json: what this backup holds, so a restore (or a person) knows what it came from. */
export function backupMeta(ctx: StepContext): Record<string, unknown> {
  const f = backupFacts(ctx);
  const { plan } = ctx;
  return {
    format: 'mokodeploy-backup/1',
    client: plan.client,
    stamp: f.backupStamp ?? f.stamp,
    database: liveDatabase(ctx),
    root: plan.target.root,
    dataRoot: plan.target.dataRoot,
    release: f.target?.currentRelease,
    filesVersion: f.target?.filesVersion,
    dbVersion: f.target?.dbVersion,
    confSha256: f.target?.confSha256,
  };
}

/** Constant: $1 the backup directory, the rest the files listed. */
const manifestScript =
  'umask 077 && cd "$1" && sha256sum -- "${@:2}" > SHA256SUMS.partial && mv -f SHA256SUMS.partial SHA256SUMS';

/** The manifest: sha256 of every file of the backup (`sha256sum --check` format), written last and renamed into place. */
export const writeManifest: Step = {
  id: 'backup:manifest',
  title: 'Write backup.json and the SHA256SUMS manifest',
  policyRef: 'deploy.phase1.backup-production',
  plan(ctx) {
    const b = backupOf(ctx);
    return [
      {
        kind: 'write',
        description: 'backup.json',
        file: { path: b.meta, content: `${JSON.stringify(backupMeta(ctx), null, 2)}\n`, mode: 0o600 },
      },
      {
        kind: 'run',
        description: 'sha256 of every file',
        command: bashCommand(manifestScript, undefined, [b.dir, ...manifestFiles]),
      },
    ];
  },
  async isDone(ctx, host) {
    const b = backupOf(ctx);
    return (await host.run({ sudo: true, argv: ['test', '-s', b.sums] })).code === 0;
  },
};

/** `sha256sum --check` of a backup: every file present and unchanged. */
export function checkManifestCommand(dir: string) {
  return bashCommand('cd "$1" && sha256sum --check --strict --quiet SHA256SUMS', undefined, [dir]);
}
