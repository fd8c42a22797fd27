import type { Action } from '../step.js';

/** A command run with sudo, as an action (what every install step plans). */
export const sudoRun = (description: string, argv: string[]): Action => ({
  kind: 'run',
  description,
  command: { sudo: true, argv },
});

/**
 * A root `find` over a tree another user may write: never follows links (-P) and never hands one to its action
 * (only files and directories), since chmod/chown on a link changes what it points at (issue 12).
 */
export function noLinksFind(dir: string, expression: string[]): string[] {
  return ['find', '-P', dir, '(', '-type', 'f', '-o', '-type', 'd', ')', ...expression];
}

/**
 * A code tree the web server may read but not rewrite: owned by root, directories and files at the policy's
 * modes (policy.procedures.fileModes; DOLIBARR.md §3 tested layout: htdocs root-owned read-only).
 */
export function rootOwnedTree(
  dir: string,
  modes: { directories: string; files: string },
  what = 'release',
): Action[] {
  const chmodAll = (type: 'd' | 'f', mode: string) => [
    'find',
    '-P',
    dir,
    '-type',
    type,
    '-exec',
    'chmod',
    mode,
    '{}',
    '+',
  ];
  return [
    sudoRun(`${what} owned by root`, ['chown', '-R', 'root:root', dir]),
    sudoRun(`directories ${modes.directories}`, chmodAll('d', modes.directories)),
    sudoRun(`files ${modes.files}`, chmodAll('f', modes.files)),
  ];
}
