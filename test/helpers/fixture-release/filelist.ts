import { createHash } from 'node:crypto';

/**
 * The release's own file list, htdocs/install/filelist-X.Y.Z.xml, in the format Dolibarr's
 * build/generate_filelist_xml.php writes (checksum_list, one <dir name="/sub" > per directory, one
 * <md5file name size>md5</md5file> per file, the md5 of the sorted md5s joined by commas per section), over the
 * files that script selects: under htdocs/ its $regextoinclude / $regextoexclude (the same as
 * htdocs/admin/system/filecheck.php's, 20.0.2), under scripts/ its own `(custom|documents|conf|install)$`.
 * Written fresh for the fixture: no Dolibarr code.
 */
const include =
  /\.(php|php3|php4|php5|phtml|phps|phar|inc|css|scss|html|xml|js|json|tpl|jpg|jpeg|png|gif|ico|sql|lang|txt|yml|bak|md|mp3|mp4|wav|mkv|z|gz|zip|rar|tar|less|svg|eot|woff|woff2|ttf|manifest)$/i;
const excludeHtdocs = /^(custom|documents|conf|install)$/i;
const excludeScripts = /^(custom|documents|conf|install)$/i;

function section(files: Record<string, string>, top: string, exclude: RegExp): { lines: string[]; checksum: string } {
  const chosen = Object.keys(files)
    .filter((p) => p.startsWith(`${top}/`))
    .map((p) => p.slice(top.length + 1))
    .filter((rel) => include.test(rel) && !rel.split('/').slice(0, -1).some((d) => exclude.test(d)))
    .sort();
  const lines: string[] = [];
  const md5s: string[] = [];
  let dir: string | undefined;
  for (const rel of chosen) {
    const cut = rel.lastIndexOf('/');
    const d = cut < 0 ? '' : `/${rel.slice(0, cut)}`;
    if (d !== dir) {
      if (dir !== undefined) lines.push('  </dir>');
      lines.push(`  <dir name="${d}" >`);
      dir = d;
    }
    const content = Buffer.from(files[`${top}/${rel}`]!);
    const md5 = createHash('md5').update(content).digest('hex');
    md5s.push(md5);
    lines.push(`    <md5file name="${rel.slice(cut + 1)}" size="${content.length}">${md5}</md5file>`);
  }
  if (dir !== undefined) lines.push('  </dir>');
  return { lines, checksum: createHash('md5').update(md5s.sort().join(',')).digest('hex') };
}

export function fileListXml(files: Record<string, string>, version: string): string {
  const htdocs = section(files, 'htdocs', excludeHtdocs);
  const scripts = section(files, 'scripts', excludeScripts);
  return [
    '<?xml version="1.0" encoding="UTF-8" ?>',
    `<checksum_list version="${version}" date="2026-01-01T00:00:00Z" generator="generate_filelist_xml.php">`,
    '<dolibarr_htdocs_dir includecustom="0">',
    ...htdocs.lines,
    '</dolibarr_htdocs_dir>',
    '<dolibarr_htdocs_dir_checksum>',
    htdocs.checksum,
    '</dolibarr_htdocs_dir_checksum>',
    `<dolibarr_script_dir version="${version}">`,
    ...scripts.lines,
    '</dolibarr_script_dir>',
    '<dolibarr_script_dir_checksum>',
    scripts.checksum,
    '</dolibarr_script_dir_checksum>',
    '</checksum_list>',
    '',
  ].join('\n');
}
