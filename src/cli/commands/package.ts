import type { CommandModule } from './module.js';
import type { AppContext } from '../../app/context.js';
import { loadRecord } from './records.js';
import { inputError, refused } from '../../core/errors.js';
import type { DeploymentRecord } from '../../core/record.js';
import { buildPackage, type BuiltPackage } from '../../package/build.js';
import { findingsOf } from '../../package/release-check.js';
import { progressPrinter } from '../../package/ship.js';
import { packageRetention, type PackageRetention } from '../../package/retention.js';
import { prunePackages } from '../../package/prune.js';
import { describePrune, prunedNames } from './package-prune.js';

interface PackageOptions {
  as?: string;
  exception?: string;
  prune?: boolean;
  keep?: string;
  dryRun?: boolean;
}

/** How many file names a refusal and the record carry (the counts are always whole). */
const shown = 200;

/**
 * `mokodeploy package <id>` (issue 22): builds the deployment package on this machine, checks the release against
 * Dolibarr's file list and records the package hash on the deployment (a new hash voids an approval).
 */
export const packageCommands: CommandModule = {
  register(program, app) {
    program
      .command('package [id]')
      .description(
        "build the deployment package (release checked against Dolibarr's file list, custom modules, data files, rendered configuration) and record its hash; the approval covers that hash",
      )
      .option('--as <login>', 'who builds it (technical lead)')
      .option(
        '--exception <reason>',
        "a deployment manager accepts a release that differs from Dolibarr's file list (recorded, audited)",
      )
      .option(
        '--prune',
        "only remove old packages (of this deployment, or of every one without <id>); a build prunes its deployment's too",
      )
      .option('--keep <n>', `newest packages kept per deployment besides those in use (default ${packageRetention.keepLast})`)
      .option('--dry-run', 'with --prune: list what would be removed, remove nothing')
      .action(async (id: string | undefined, o: PackageOptions) => {
        const a = app();
        const rule = retentionOf(o.keep);
        if (o.prune) return pruneCommand(a, id, rule, o.dryRun ?? false);
        if (!id) throw inputError('package: give the deployment id (or --prune)', { fix: 'mokodeploy package <id>' });
        const { record } = await loadRecord(a, id);
        const built = await buildPackage({
          plan: record.plan,
          policy: a.policy(),
          deploymentId: id,
          home: a.home,
          phpVersion: lastPhpVersion(record),
          planFile: record.planFile,
        });
        if (built.moduleProblems.length > 0)
          throw refused('custom modules are not compatible with the release or the target', {
            details: built.moduleProblems,
            fix: 'use module versions whose phpmin / need_dolibarr_version accept the target, or change the plan',
          });
        const findings = findingsOf(built.fileCheck);
        const excepted = record.packageExceptions?.find((e) => e.releaseSha256 === built.releaseSha256);
        if (o.exception) {
          if (findings.length === 0) throw refused(`the release matches Dolibarr's file list: there is nothing to accept`);
          await a.act(id, 'package-exception', { releaseSha256: built.releaseSha256, reason: o.exception, findings: findings.slice(0, shown) }, o.as);
          a.out.result({ id, exception: o.exception, releaseSha256: built.releaseSha256, findings }, () =>
            `${id}: exception recorded for release sha256 ${built.releaseSha256} (${findings.length} findings); the technical lead now runs: mokodeploy package ${id}`,
          );
          return;
        }
        if (findings.length > 0 && !excepted) throw mismatch(record, built, findings);
        const after = await a.act(id, 'record-package', packageInput(built, excepted?.reason), o.as);
        const pruned = prunePackages({ home: a.home, records: [after], now: a.now(), deploymentId: id, rule });
        a.out.result(
          { id, hash: built.hash, files: built.manifest.files.length, bytes: built.bytes, tar: built.tar, fileCheck: built.fileCheck, state: after.state, pruned: prunedNames(pruned) },
          () => [describe(id, built, findings.length, after.state), ...describePrune(pruned, false)].join('\n'),
        );
      });
  },
};

function retentionOf(keep: string | undefined): PackageRetention {
  if (keep === undefined) return packageRetention;
  if (!/^\d{1,3}$/.test(keep))
    throw inputError(`--keep: expected a whole number of packages (0 to 999), got "${keep}"`, { fix: 'e.g. --keep 2' });
  return { ...packageRetention, keepLast: Number(keep) };
}

async function pruneCommand(a: AppContext, id: string | undefined, rule: PackageRetention, dryRun: boolean) {
  const records = id ? [(await loadRecord(a, id)).record] : await (await a.store()).all();
  const pruned = prunePackages({ home: a.home, records, now: a.now(), deploymentId: id, rule, dryRun });
  a.out.result({ dryRun, pruned: prunedNames(pruned), bytes: pruned.bytes, kept: pruned.keep.length }, () =>
    describePrune(pruned, dryRun).join('\n'),
  );
}

function mismatch(record: DeploymentRecord, built: BuiltPackage, findings: string[]) {
  const c = built.fileCheck;
  return refused(
    `the release ${built.manifest.release.file} does not match Dolibarr's file list ${built.manifest.release.fileList}: ${c.missing.length} missing, ${c.changed.length} changed, ${c.added.length} added of ${c.listed} listed`,
    {
      details: [...findings.slice(0, 20), ...(findings.length > 20 ? [`... and ${findings.length - 20} more`] : [])],
      fix: `use the official tarball; or a deployment manager accepts it: mokodeploy package ${record.id} --exception "why" --as <login>`,
    },
  );
}

function packageInput(b: BuiltPackage, exception?: string) {
  const c = b.fileCheck;
  const m = b.manifest;
  const count = (dir: string) => m.files.filter((f) => f.path.startsWith(`${dir}/`)).length;
  return {
    hash: b.hash,
    files: m.files.length,
    bytes: b.bytes,
    release: {
      file: m.release.file,
      sha256: b.releaseSha256,
      version: m.dolibarrVersion,
      fileCheck: {
        listed: c.listed,
        missing: c.missing.slice(0, shown),
        changed: c.changed.slice(0, shown),
        added: c.added.slice(0, shown),
        ...(exception ? { exception } : {}),
      },
    },
    modules: m.modules.map((x) => ({
      name: x.name,
      files: count(x.dir),
      origin: m.origins.find((o) => o.path === x.dir)?.from ?? '',
    })),
    data: m.data.map((d) => ({ path: d.path, origin: m.origins.find((o) => o.path === d.path)?.from ?? '' })),
    config: m.config,
    origins: m.origins,
  };
}

function describe(id: string, b: BuiltPackage, findings: number, state: string): string {
  const c = b.fileCheck;
  return [
    `${id}: package ${b.hash}`,
    `  ${b.manifest.files.length} files, ${(b.bytes / 1048576).toFixed(1)} MiB: ${b.manifest.release.file}, ${b.manifest.modules.length} custom module(s), ${b.manifest.data.length} data file(s), ${b.manifest.config.length} configuration file(s)`,
    `  release against ${b.manifest.release.fileList}: ${c.listed} files listed, ${findings === 0 ? 'all match' : `${c.missing.length} missing, ${c.changed.length} changed, ${c.added.length} added (exception recorded)`}`,
    `  ${b.tar}`,
    `  deployment is ${state}${state === 'submitted' || state === 'draft' ? `: a deployment manager approves this package with mokodeploy approve ${id}` : ''}`,
  ].join('\n');
}

/** The target's php-cli version from the newest validation (php-version finding "PHP 8.2.7"), if any. */
function lastPhpVersion(record: DeploymentRecord): string | undefined {
  const observed = record.validations.at(-1)?.findings.find((f) => f.checkId === 'php-version')?.observed;
  return observed ? /(\d+\.\d+\.\d+)/.exec(observed)?.[1] : undefined;
}

/** How a run ships the package: progress and notes on stderr (stdout stays for the result). */
export function shipOptions(a: AppContext) {
  return {
    home: a.home,
    onProgress: progressPrinter(process.stderr),
    note: (text: string) => a.out.warn(text),
    warn: (text: string) => a.out.warn(text),
  };
}
