/**
 * The common start of our PHP tools (written by us): read a JSON request from stdin, then bootstrap
 * Dolibarr the way its own CLI scripts do (scripts/cron/cron_run_jobs.php l.28-63: NOSESSION, NOLOGIN,
 * NOREQUIREMENU/HTML/AJAX, then `require master.inc.php`), and load the admin user whose rights the
 * changes are made with. Top-level code only: master.inc.php must define its globals ($db, $conf, $langs,
 * $mysoc, $hookmanager) at file scope.
 */
export const bootstrapPhp = `<?php
if (PHP_SAPI !== 'cli') {
	exit(2);
}
foreach (array('NOSESSION', 'NOLOGIN', 'NOREQUIREMENU', 'NOREQUIREHTML', 'NOREQUIREAJAX', 'NOTOKENRENEWAL', 'NOCSRFCHECK') as $mokoConst) {
	if (!defined($mokoConst)) {
		define($mokoConst, '1');
	}
}
$mokoInput = json_decode((string) stream_get_contents(STDIN), true);
if (!is_array($mokoInput) || empty($mokoInput['htdocs']) || !is_file($mokoInput['htdocs'].'/master.inc.php')) {
	fwrite(STDERR, "mokodeploy: expected a JSON object with \\"htdocs\\" (a Dolibarr htdocs directory) on stdin\\n");
	exit(2);
}
chdir($mokoInput['htdocs']);
if (!empty($mokoInput['entity'])) {
	// The entity a CLI script works in (master.inc.php l.194-196, 19.0.4 l.192-194); php-cli's variables_order leaves $_ENV empty (issue 18)
	$_ENV['dol_entity'] = (int) $mokoInput['entity'];
}
require $mokoInput['htdocs'].'/master.inc.php';
require_once DOL_DOCUMENT_ROOT.'/core/lib/admin.lib.php';
require_once DOL_DOCUMENT_ROOT.'/user/class/user.class.php';
$user = new User($db);
if (!empty($mokoInput['admin'])) {
	if ($user->fetch(0, $mokoInput['admin'], '', 1) <= 0 || empty($user->id)) {
		fwrite(STDERR, "mokodeploy: admin user ".$mokoInput['admin']." not found\\n");
		exit(3);
	}
	$user->getrights();
}
$mokoResult = array('ok' => true, 'errors' => array(), 'done' => array());
function moko_fail($message)
{
	global $mokoResult;
	$mokoResult['ok'] = false;
	$mokoResult['errors'][] = $message;
}
function moko_finish()
{
	global $mokoResult;
	print json_encode($mokoResult)."\\n";
	exit($mokoResult['ok'] ? 0 : 1);
}
`;

/** Join the bootstrap with a tool body (the body has no opening tag). */
export function phpTool(body: string): string {
  return `${bootstrapPhp}\n// ---- tool ----\n${body.trim()}\nmoko_finish();\n`;
}
