import { checkInstalled } from '../../package/installed-check.js';
import { result, type CheckResult, type VerifyCheck } from '../check.js';

/**
 * Issue 22, after go-live: the files the site serves are the approved ones. The release against Dolibarr's own
 * file list (htdocs/install/filelist-X.Y.Z.xml, as admin/system/filecheck.php) and each custom module against
 * the package manifest (src/package/installed-check.ts); a file changed on the server since shows here and in
 * hypercare check-ins. Reported under "File permissions correct" (the security part of the checklist).
 */
const item = 'verify.permissions';
const first = (names: string[]) => names.slice(0, 10).join(', ') + (names.length > 10 ? ` and ${names.length - 10} more` : '');

export const installedFilesCheck: VerifyCheck = {
  id: 'installed-files',
  item,
  title: 'Installed files against the file list and the approved package',
  async run(ctx): Promise<CheckResult[]> {
    // a deployment from before packages has no reference to compare with: the item rests on its other checks
    if (!ctx.record?.package) return [];
    const c = await checkInstalled(ctx.host, ctx.record);
    if (c.unknown) return [result(item, 'files.release', 'unknown', c.unknown)];
    const r = c.release;
    const bad = [...r.changed.map((f) => `changed ${f}`), ...r.missing.map((f) => `missing ${f}`), ...r.added.map((f) => `added ${f}`)];
    const out = [
      bad.length === 0
        ? result(item, 'files.release', 'pass', `${r.checked} release files match the file list of package ${ctx.record.package!.hash.slice(0, 12)}`)
        : result(item, 'files.release', 'fail', `${bad.length} release file(s) differ from what was approved: ${first(bad)}`, 'find out who changed them; redeploy the approved package or record the change as a new package'),
    ];
    for (const m of c.modules) {
      const diff = [...m.changed.map((f) => `changed ${f}`), ...m.added.map((f) => `added ${f}`)];
      out.push(
        diff.length === 0
          ? result(item, `files.module.${m.name}`, 'pass', `${m.checked} files of custom module ${m.name} match the package`)
          : result(item, `files.module.${m.name}`, 'fail', `custom module ${m.name}: ${first(diff)}`, 'the module on the server is not the approved one'),
      );
    }
    return out;
  },
};
