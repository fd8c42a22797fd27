import { inputError } from '../core/errors.js';

/**
 * Dolibarr's own file list, `htdocs/install/filelist-X.Y.Z.xml`, as written by build/generate_filelist_xml.php
 * (one `<dir name="/sub">` per directory, `<md5file name="f.php" size="123">md5</md5file>` per file, under
 * `<dolibarr_htdocs_dir includecustom="0">` relative to htdocs/ and `<dolibarr_script_dir>` relative to
 * scripts/). It is what htdocs/admin/system/filecheck.php compares the installed files with (getFilesUpdated(),
 * core/lib/files.lib.php). The generator writes one element a line, so it is read line by line.
 */
export interface ListedFile {
  md5: string;
  size?: number;
}

export interface FileList {
  version: string;
  includeCustom: boolean;
  /** Paths relative to the release root: `htdocs/...` and `scripts/...`. */
  files: Map<string, ListedFile>;
}

const sections: Record<string, string> = { dolibarr_htdocs_dir: 'htdocs', dolibarr_script_dir: 'scripts' };

export function parseFileList(text: string, where = 'filelist.xml'): FileList {
  const files = new Map<string, ListedFile>();
  const head = /<checksum_list version="([^"]+)"/.exec(text);
  if (!head) throw inputError(`${where}: no <checksum_list version="..."> (not a Dolibarr file list)`);
  let section: string | undefined;
  let dir = '';
  let includeCustom = false;
  text.split('\n').forEach((line, i) => {
    const open = /^\s*<(dolibarr_htdocs_dir|dolibarr_script_dir)\b([^>]*)>/.exec(line);
    if (open) {
      section = sections[open[1]!];
      includeCustom = includeCustom || /includecustom="1"/.test(open[2]!);
      dir = '';
      return;
    }
    if (/^\s*<\/(dolibarr_htdocs_dir|dolibarr_script_dir)>/.test(line)) section = undefined;
    const d = /^\s*<dir name="([^"]*)"\s*>/.exec(line);
    if (d && section) dir = d[1]!;
    const f = /^\s*<md5file name="([^"]+)"(?: size="(\d+)")?\s*>([a-f0-9]{32})<\/md5file>/.exec(line);
    if (f && section) {
      const path = `${section}${dir}/${f[1]}`;
      if (path.includes('/../') || path.includes('/./'))
        throw inputError(`${where}:${i + 1}: a listed path leaves the release: ${path}`);
      files.set(path, { md5: f[3]!, ...(f[2] ? { size: Number(f[2]) } : {}) });
    } else if (/<md5file/.test(line)) throw inputError(`${where}:${i + 1}: unreadable <md5file> line`);
  });
  if (files.size === 0) throw inputError(`${where}: lists no file`);
  return { version: head[1]!, includeCustom, files };
}

/**
 * The files filecheck.php looks at when it reports files "added" (htdocs/admin/system/filecheck.php, 20.0.2:
 * `$regextoinclude` / `$regextoexclude`, scanned with dol_dir_list(), which also skips names starting with a
 * dot). A directory whose name or path ends with one of the excluded names is not entered: custom/ (modules are
 * expected there), documents/, conf/, install/ and the vendor samples and tests.
 */
const includedFile =
  /\.(php|php3|php4|php5|phtml|phps|phar|inc|css|scss|html|xml|js|json|tpl|jpg|jpeg|png|gif|ico|sql|lang|txt|yml|bak|md|mp3|mp4|wav|mkv|z|gz|zip|rar|tar|less|svg|eot|woff|woff2|ttf|manifest)$/i;
const excludedPath = (custom: boolean) =>
  new RegExp(
    `(${custom ? '' : 'custom|'}documents|conf|install|dejavu-fonts-ttf-.*|public\\/test|sabre\\/sabre\\/.*\\/tests|Shared\\/PCLZip|nusoap\\/lib\\/Mail|php\\/example|php\\/test|geoip\\/sample.*\\.php|ckeditor\\/samples|ckeditor\\/adapters)$`,
    'i',
  );

/** Whether filecheck.php would scan this htdocs path (`htdocs/a/b.php`): each directory on the way and the file. */
export function scannedByFileCheck(path: string, includeCustom: boolean): boolean {
  if (!path.startsWith('htdocs/')) return false;
  const parts = path.slice('htdocs/'.length).split('/');
  const exclude = excludedPath(includeCustom);
  for (let i = 0; i < parts.length; i++) {
    const name = parts[i]!;
    const full = `/${parts.slice(0, i + 1).join('/')}`;
    if (name.startsWith('.') || exclude.test(name) || exclude.test(full)) return false;
  }
  return includedFile.test(parts.at(-1)!);
}
