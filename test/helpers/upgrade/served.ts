import { execFileSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { join } from 'node:path';

/** A target's paths as the install stack's plan has them. */
interface Served {
  plan: { target: { root: string } };
}

/** The release the site serves: where `current` points (releases/<version>-<stamp>). */
export function servedRelease(stack: Served): string {
  return readlinkSync(join(stack.plan.target.root, 'current'));
}

/**
 * The schema the served release uses, as PHP reads its conf.php: the test's own view, not the tool's
 * (an upgrade by copy moves the site to another schema).
 */
export function servedDatabase(stack: Served): string {
  return execFileSync('php', [
    '-r',
    'include $argv[1]; echo $dolibarr_main_db_name;',
    join(stack.plan.target.root, 'current/htdocs/conf/conf.php'),
  ]).toString();
}
