import { phpString } from '../../escape/php.js';
import { fixedLayout } from '../upgrade/context.js';
import type { Action, StepContext } from '../step.js';

/**
 * Issue 19: a release's htdocs/conf/conf.php is normally a symlink to the one shared conf.php (carry-over.ts). For
 * the copy's window a release gets a small conf.php of its own instead, which loads the shared one and then changes
 * one or two variables: no secret is copied (password and instance id stay in the shared file), and going back is
 * the symlink again. Dolibarr includes conf.php at file scope (htdocs/filefunc.inc.php `include_once $conffile`;
 * install/inc.php l.184-185), so the shared file's variables are set in the same scope before ours.
 */
const header =
  '<?php\n// mokodeploy (issue 19): written for an upgrade by copy; the symlink to the shared conf.php comes back after it.\n';

/**
 * The release being served, read-only while its database is copied: htdocs/core/db/mysqli.class.php query()
 * (l.330 in 19.0.4, l.342 in 20.0.2) refuses INSERT|UPDATE|REPLACE|DELETE|CREATE|ALTER|TRUNCATE|DROP with
 * APPREADONLY when $dolibarr_main_db_readonly is set; reads, logins and searches go on.
 */
export function readOnlyConfPhp(sharedConf: string): string {
  return `${header}require ${phpString(sharedConf)};\n$dolibarr_main_db_readonly = 1;\n`;
}

/**
 * The new release, before the switch, on the copy: the copy's schema, and the document roots of this release
 * (conf.php names <root>/current/htdocs, still the old release; upgrade2.php reloads modules from
 * $dolibarr_main_document_root(_alt), core/lib/functions2.lib.php dolGetModulesDirs()).
 */
export function copyConfPhp(
  sharedConf: string,
  copyDb: string,
  currentHtdocs: string,
  htdocs: string,
): string {
  const swap = (v: string) =>
    `if (isset(${v})) {\n\t${v} = str_replace(${phpString(currentHtdocs)}, ${phpString(htdocs)}, ${v});\n}\n`;
  return `${header}require ${phpString(sharedConf)};\n$dolibarr_main_db_name = ${phpString(copyDb)};\n${swap('$dolibarr_main_document_root')}${swap('$dolibarr_main_document_root_alt')}`;
}

/** A release on another database than the shared conf.php's (the switch of an upgrade by copy, a rollback before writes). */
export function databaseConfPhp(sharedConf: string, database: string): string {
  return `${header}require ${phpString(sharedConf)};\n$dolibarr_main_db_name = ${phpString(database)};\n`;
}

/** Write a release's own conf.php over its symlink (the host writes a temp file and renames it: atomic). */
export function writeReleaseConf(ctx: StepContext, release: string, content: string, what: string): Action {
  const path = `${fixedLayout(ctx).releasesDir}/${release}/htdocs/conf/conf.php`;
  const mode = Number.parseInt(ctx.policy.procedures.fileModes.confPhp, 8);
  return {
    kind: 'write',
    description: `${release}/htdocs/conf/conf.php: ${what}`,
    file: { path, content, mode, owner: 'root', group: ctx.plan.target.webGroup },
  };
}

/** The release's conf.php back to the symlink to the shared one (ln beside it, renamed over it). */
export function relinkReleaseConf(ctx: StepContext, release: string): Action {
  const l = fixedLayout(ctx);
  const path = `${l.releasesDir}/${release}/htdocs/conf/conf.php`;
  const script = '[ -d "$(dirname "$2")" ] || exit 0; ln -sfn "$1" "$2.new" && mv -Tf "$2.new" "$2"';
  return {
    kind: 'run',
    description: `${release}/htdocs/conf/conf.php -> shared conf.php`,
    command: { sudo: true, argv: ['sh', '-c', script, 'relink-conf', l.confPhp, path] },
  };
}
