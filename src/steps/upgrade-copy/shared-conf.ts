import { fixedLayout } from '../upgrade/context.js';
import { php } from '../install/context.js';
import type { Step, StepContext } from '../step.js';

/**
 * Issue 19: after the switch of an upgrade by copy, the one shared conf.php names the database the site now uses
 * (the new release's own conf.php said it until then), so every release's conf.php is the symlink to it again and
 * whatever reads conf.php (Dolibarr's CLI scripts, cron, our tools, the next upgrade) sees the live database. A
 * rollback before writes names the old one again. Rewritten by PHP on the target, as Dolibarr would write the line
 * (`$dolibarr_main_db_name='…';`, install/step1.php): the file (with its password) never leaves the target, the
 * new text goes to a temp file with the same owner and mode and is renamed over it (atomic). Exactly one assignment
 * must be there, else nothing is changed.
 */
const rewriteDbName = [
  '$f = $argv[1]; $name = $argv[2]; $n = 0;',
  '$t = file_get_contents($f); if ($t === false) { fwrite(STDERR, "cannot read $f\\n"); exit(1); }',
  "$u = preg_replace_callback('/^(\\s*\\$dolibarr_main_db_name\\s*=\\s*)([\\'\"])(.*?)\\2(\\s*;)/m', function ($m) use ($name) { return $m[1].\"'\".addcslashes($name, \"'\\\\\\\\\").\"'\".$m[4]; }, $t, -1, $n);",
  'if ($n !== 1) { fwrite(STDERR, "$f: $n assignments of \\$dolibarr_main_db_name, expected one: nothing changed\\n"); exit(1); }',
  'if ($u === $t) { echo "$f already names $name\\n"; exit(0); }',
  '$s = stat($f); $tmp = $f.".mokodeploy-new"; @unlink($tmp);',
  'if (file_put_contents($tmp, $u) === false || !chmod($tmp, $s["mode"] & 07777) || !chown($tmp, $s["uid"]) || !chgrp($tmp, $s["gid"]) || !rename($tmp, $f)) { @unlink($tmp); fwrite(STDERR, "cannot write $f\\n"); exit(1); }',
  'echo "$f names $name\\n";',
].join(' ');

export function sharedConfDatabaseStep(id: string, database: (ctx: StepContext) => string): Step {
  return {
    id,
    title: 'The shared conf.php names the live database',
    policyRef: 'deploy.phase2.configure-database',
    plan(ctx) {
      const conf = fixedLayout(ctx).confPhp;
      const name = database(ctx);
      return [
        {
          kind: 'run',
          description: `${conf}: $dolibarr_main_db_name = ${name}`,
          command: { sudo: true, argv: [php(ctx), '-r', rewriteDbName, '--', conf, name] },
        },
      ];
    },
  };
}

export const rewriteDbNamePhp = rewriteDbName;
