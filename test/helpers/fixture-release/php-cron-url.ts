/**
 * The public scheduled-jobs page, htdocs/public/cron/cron_run_jobs_by_url.php, as Dolibarr 20.0.2 ships it
 * (read in /work/releases/dolibarr-20.0.2.tgz; docs/DOLIBARR-NOTES.md "Scheduled jobs without scripts/").
 * Written fresh: it imitates the contract only.
 */
export function cronRunJobsByUrlPhp(): string {
  return `<?php
// mokodeploy fixture release: htdocs/public/cron/cron_run_jobs_by_url.php. Not Dolibarr code; imitates its contract only.
// contract: cron_run_jobs_by_url.php l.27-44 (20.0.2): NOLOGIN, NOTOKENRENEWAL… defined before main.inc.php (not NOCSRFCHECK)
foreach (array('NOTOKENRENEWAL', 'NOREQUIREMENU', 'NOREQUIREHTML', 'NOREQUIREAJAX', 'NOLOGIN', 'NOIPCHECK') as $c) {
	if (!defined($c)) {
		define($c, '1');
	}
}
// l.59-63: refused from php-cli (the CLI runner is scripts/cron/cron_run_jobs.php)
if (php_sapi_name() == "cli") {
	echo "Error: This page can't be used as a CLI script. For the CLI version of script, launch cron_run_job.php available into scripts/cron/ directory.\\n";
	exit(-1);
}
require '../../main.inc.php';
// contract: main.inc.php l.626 (20.0.2; l.553 in 19.0.4): the CSRF check runs unless the page defines NOCSRFCHECK
// (this one does not, l.27-44) or conf.php sets $dolibarr_nocsrfcheck, whenever MAIN_SECURITY_CSRF_WITH_TOKEN is set,
// which conf.class.php l.1069-1075 (l.1002-1008 in 19.0.4) makes 2 when the database has none (a new install);
// l.653-674: a POST without a token (or token=notrequired) gets HTTP 403, this message, and stops. A GET without
// action/massaction passes.
if (!defined('NOCSRFCHECK') && empty($dolibarr_nocsrfcheck) && getDolGlobalInt('MAIN_SECURITY_CSRF_WITH_TOKEN', 2)
	&& ($_SERVER['REQUEST_METHOD'] ?? '') == 'POST') {
	$fixtureToken = isset($_GET['token']) ? (string) $_GET['token'] : (isset($_POST['token']) ? (string) $_POST['token'] : '');
	if ($fixtureToken === '' || $fixtureToken == 'notrequired') {
		http_response_code(403);
		print "Access to this page this way (POST method or GET with a sensible value for 'action' parameter) is refused by CSRF protection in main.inc.php. Token not provided.\n";
		exit;
	}
}
// l.77-80: module Cron must be enabled (httponly_accessforbidden: HTTP 403)
if (!isModEnabled('cron')) {
	http_response_code(403);
	print 'Module Cron not enabled';
	exit;
}
// l.91-100: securitykey (GETPOST: GET, else POST) compared with CRON_KEY
$fixtureParam = function ($name) {
	return isset($_GET[$name]) ? (string) $_GET[$name] : (isset($_POST[$name]) ? (string) $_POST[$name] : '');
};
$key = $fixtureParam('securitykey');
if (empty($key)) {
	echo 'Securitykey is required. Check setup of cron jobs module.';
	exit;
}
if ($key != getDolGlobalString('CRON_KEY')) {
	echo 'Securitykey is wrong.';
	exit;
}
// l.101-120: userlogin required and must exist
$userlogin = $fixtureParam('userlogin');
if (empty($userlogin)) {
	echo 'Userlogin is required.';
	exit;
}
$user = new User($db);
if ($user->fetch(0, $userlogin) <= 0 || empty($user->id)) {
	echo " User login:".$userlogin." do not exists";
	exit;
}
// l.139-245: the fixture has no llx_cronjob jobs: the page's answer when none is active
echo "Result: No active jobs found.";
`;
}
