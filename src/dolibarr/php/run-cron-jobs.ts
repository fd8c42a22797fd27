/**
 * Our cron wrapper (written by us): Dolibarr's scripts/cron/cron_run_jobs.php wants the security key
 * CRON_KEY as argv[1] (l.67-78, 19.0.4), which would put a secret in the crontab and in `ps`.
 * This wrapper bootstraps master.inc.php exactly as cron_run_jobs.php does (it require_once's the same file,
 * so the second require is a no-op), reads CRON_KEY from the database, sets `$argv` and includes the script
 * at file scope. Usage: php run-cron-jobs.php <release root> [userlogin]   (default user: firstadmin, l.102).
 */
export const runCronJobsPhp = `<?php
// mokodeploy: run Dolibarr's scheduled jobs without the key on the command line (see src/dolibarr/php/run-cron-jobs.ts)
if (PHP_SAPI !== 'cli' || empty($argv[1])) {
	fwrite(STDERR, "usage: php run-cron-jobs.php <dolibarr release root> [userlogin]\\n");
	exit(2);
}
$mokoScript = rtrim($argv[1], '/').'/scripts/cron/cron_run_jobs.php';
$mokoLogin = empty($argv[2]) ? 'firstadmin' : $argv[2];
if (!is_file($mokoScript)) {
	fwrite(STDERR, "mokodeploy: ".$mokoScript." not found (this release has no scripts/ directory)\\n");
	exit(2);
}
foreach (array('NOTOKENRENEWAL', 'NOREQUIREMENU', 'NOREQUIREHTML', 'NOREQUIREAJAX', 'NOLOGIN', 'NOSESSION') as $mokoConst) {
	if (!defined($mokoConst)) {
		define($mokoConst, '1');
	}
}
if (!defined('USESUFFIXINLOG')) {
	define('USESUFFIXINLOG', '_cron');
}
chdir(dirname($mokoScript));
require_once dirname($mokoScript).'/../../htdocs/master.inc.php';
$argv = array($mokoScript, getDolGlobalString('CRON_KEY'), $mokoLogin);
$argc = 3;
include $mokoScript;
`;
