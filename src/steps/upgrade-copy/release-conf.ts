import { phpString } from '../../escape/php.js';
import { targetLayout } from '../../dolibarr/layout.js';
import type { Action, StepContext } from '../step.js';
import { logEventCodes } from './log-events.js';

/**
 * Issue 19, the switch without PHP-FPM reloads. Every release has its OWN htdocs/conf/conf.php, a regular file
 * written once when the release is created (install: write-conf.ts lockConf; upgrade by copy: carry-over) and
 * never rewritten. It `require`s the one shared conf.php (secrets stay there) and then:
 * - names this release's real document roots (the shared file names <root>/current/htdocs, which PHP's realpath
 *   cache would keep resolving to the old release for realpath_cache_ttl after `current` moves); with nginx's
 *   `$realpath_root` every path PHP uses is then the release's real path, so the `current` flip alone switches;
 * - reads three small state files per request (is_file + one read: never cached by OPcache, and PHP's stat cache
 *   lives for one request), so entering or leaving read-only mode and pinning the database are file operations
 *   seen by the very next request, no reload:
 *   `<release>.database`   this release's database, when it is not the shared conf.php's (the copy of an upgrade,
 *                          the old database during a rollback before writes);
 *   `<release>.read-only`  `$dolibarr_main_db_readonly` for every SAPI (the old release while its database is copied);
 *   `<release>.read-only-web` the same for the web only (the new release after the switch: our php-cli steps write).
 * Read-only mode also turns Dolibarr's security events off and db sessions to files (read-only.ts explains why).
 * Dolibarr includes conf.php at file scope (htdocs/filefunc.inc.php `include_once $conffile`; install/inc.php
 * l.184-185), so the shared file's variables are set in the same scope before ours.
 */
export const ownConfMarker = '// mokodeploy-release-conf (issue 19)';

/** <root>/shared/release-state: the state files (root-owned, readable by the web user). */
export const releaseStateDir = (root: string): string => `${root}/shared/release-state`;

export interface ReleaseState {
  dir: string;
  database: string;
  readOnly: string;
  readOnlyWeb: string;
}

export function releaseStateOf(ctx: StepContext, release: string): ReleaseState {
  const dir = releaseStateDir(ctx.plan.target.root);
  return {
    dir,
    database: `${dir}/${release}.database`,
    readOnly: `${dir}/${release}.read-only`,
    readOnlyWeb: `${dir}/${release}.read-only-web`,
  };
}

/** What read-only mode sets besides the flag (read-only.ts: logins must keep working). */
export function readOnlyExtras(indent: string): string {
  const events = logEventCodes
    .map((c) => `${indent}$_SERVER['DOLIBARR_MAIN_LOGEVENTS_${c}'] = '';\n`)
    .join('');
  const sessions = `${indent}if (isset($php_session_save_handler) && $php_session_save_handler === 'db') {\n${indent}\t$php_session_save_handler = '';\n${indent}}\n`;
  return `${events}${sessions}`;
}

/** The release's own conf.php (constant for the release's life: nothing rewrites it). */
export function ownReleaseConfPhp(o: {
  sharedConf: string;
  currentHtdocs: string;
  htdocs: string;
  release: string;
  state: ReleaseState;
}): string {
  const s = o.state;
  const swap = (v: string) =>
    `if (isset(${v})) {\n\t${v} = str_replace(${phpString(o.currentHtdocs)}, ${phpString(o.htdocs)}, ${v});\n}\n`;
  return [
    '<?php\n',
    `${ownConfMarker}: the own conf.php of release ${o.release.replace(/[^A-Za-z0-9._-]/g, '_')}, written once\n`,
    '// when the release was created. Secrets are in the shared conf.php; the state files below are per request.\n',
    `require ${phpString(o.sharedConf)};\n`,
    swap('$dolibarr_main_document_root'),
    swap('$dolibarr_main_document_root_alt'),
    `if (is_file(${phpString(s.database)})) {\n\t$dolibarr_main_db_name = trim((string) file_get_contents(${phpString(s.database)}));\n}\n`,
    `if (is_file(${phpString(s.readOnly)}) || (PHP_SAPI !== 'cli' && is_file(${phpString(s.readOnlyWeb)}))) {\n`,
    '\t$dolibarr_main_db_readonly = 1;\n',
    readOnlyExtras('\t'),
    '}\n',
  ].join('');
}

/** The content for a release of this target. */
export function ownReleaseConfFor(ctx: StepContext, release: string): string {
  const l = targetLayout(ctx.plan.target.root, ctx.plan.target.dataRoot, release);
  return ownReleaseConfPhp({
    sharedConf: l.confPhp,
    currentHtdocs: l.currentHtdocs,
    htdocs: l.htdocs,
    release,
    state: releaseStateOf(ctx, release),
  });
}

/** Write a release's own conf.php (temp file renamed over whatever is there: atomic). */
export function writeOwnReleaseConf(ctx: StepContext, release: string): Action {
  const l = targetLayout(ctx.plan.target.root, ctx.plan.target.dataRoot, release);
  return {
    kind: 'write',
    description: `${release}/htdocs/conf/conf.php: its own (requires the shared one; document root, state files)`,
    file: {
      path: l.releaseConfPhp,
      content: ownReleaseConfFor(ctx, release),
      mode: Number.parseInt(ctx.policy.procedures.fileModes.confPhp, 8),
      owner: 'root',
      group: ctx.plan.target.webGroup,
    },
  };
}

/**
 * Constant scripts over the state files; $1 the state directory, $2 the file, $3 a database name.
 * Creating an empty file and unlinking one are atomic; a database name is written to a temp file and renamed.
 */
const stateScripts = {
  set: 'mkdir -p "$1" && chmod 0755 "$1" && touch "$2" && chmod 0644 "$2"',
  clear: 'rm -f "$2"',
  pin: 'mkdir -p "$1" && chmod 0755 "$1" && printf "%s\\n" "$3" > "$2.new" && chmod 0644 "$2.new" && mv -f "$2.new" "$2"',
};

function stateAction(description: string, script: string, args: string[]): Action {
  return {
    kind: 'run',
    description,
    command: { sudo: true, argv: ['sh', '-c', script, 'release-state', ...args] },
  };
}

export type ReadOnlyScope = 'all' | 'web';

export function setReadOnly(ctx: StepContext, release: string, scope: ReadOnlyScope): Action {
  const s = releaseStateOf(ctx, release);
  const file = scope === 'all' ? s.readOnly : s.readOnlyWeb;
  return stateAction(
    `${release}: read-only${scope === 'web' ? ' for the web' : ''} (${file})`,
    stateScripts.set,
    [s.dir, file],
  );
}

export function clearReadOnly(ctx: StepContext, release: string, scope: ReadOnlyScope | 'both'): Action[] {
  const s = releaseStateOf(ctx, release);
  const files =
    scope === 'both' ? [s.readOnly, s.readOnlyWeb] : [scope === 'all' ? s.readOnly : s.readOnlyWeb];
  return files.map((f) => stateAction(`${release}: writable (no ${f})`, stateScripts.clear, [s.dir, f]));
}

export function pinDatabase(ctx: StepContext, release: string, database: string): Action {
  if (!/^[A-Za-z0-9_$]{1,64}$/.test(database)) throw new Error(`bug: not a database name: ${database}`);
  const s = releaseStateOf(ctx, release);
  return stateAction(`${release} uses ${database} (${s.database})`, stateScripts.pin, [
    s.dir,
    s.database,
    database,
  ]);
}

export function unpinDatabase(ctx: StepContext, release: string): Action {
  const s = releaseStateOf(ctx, release);
  return stateAction(
    `${release} uses the shared conf.php's database (no ${s.database})`,
    stateScripts.clear,
    [s.dir, s.database],
  );
}
