import type { HandoffData } from './handoff-data.js';
import { dl, section, table } from './html.js';

/**
 * The handoff pack's "Deployment package" section (issue 22, policy Phase 1 "Prepare deployment package"): the
 * package hash the deployment manager approved, what it holds (release and its check against Dolibarr's file
 * list, custom modules, data files, configuration) and where each part came from, by sha256.
 */
export function packageSection(d: HandoffData): string {
  const pkg = d.record.package;
  if (!pkg)
    return section('package', 'Deployment package', '<p class="muted">No deployment package was recorded for this deployment (deployed from paths on the target).</p>');
  const approval = d.record.approval;
  const c = pkg.release.fileCheck;
  const check = `${c.listed} files listed; ${c.missing.length} missing, ${c.changed.length} changed, ${c.added.length} added${c.exception ? ` (accepted: ${c.exception})` : ''}`;
  return section(
    'package',
    'Deployment package',
    [
      dl([
        ['Package hash (sha256 of its manifest)', pkg.hash],
        ['Built', `${pkg.stamp.at} by ${pkg.stamp.by}`],
        ['Approved', approval?.packageHash === pkg.hash ? `${approval.stamp.at} by ${approval.stamp.by}` : 'not approved'],
        ['Size', `${pkg.files} files, ${(pkg.bytes / 1048576).toFixed(1)} MiB`],
        ['Release', `${pkg.release.file} (Dolibarr ${pkg.release.version}, sha256 ${pkg.release.sha256})`],
        ["Against Dolibarr's file list", check],
        ['Configuration (rendered, without secrets)', pkg.config.join(', ')],
      ]),
      table(
        ['Part', 'Files', 'From'],
        [
          ...pkg.modules.map((m) => [`custom module ${m.name}`, m.files, m.origin]),
          ...pkg.data.map((x) => [`data ${x.path}`, 1, x.origin]),
        ],
        'No custom modules or data files.',
      ),
      table(['Path in the package', 'Origin', 'sha256'], pkg.origins.map((o) => [o.path, o.from, o.sha256])),
    ].join('\n'),
  );
}
