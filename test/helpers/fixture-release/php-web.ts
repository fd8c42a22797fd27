/** Fixture release: web pages (login, home, setup, logout) and the cron script. Not Dolibarr code. */

const banner = (what: string) => `<?php\n// mokodeploy fixture release: ${what}. Not Dolibarr code; imitates its contract only.\n`;

export function mainIncPhp(): string {
  return `${banner('htdocs/main.inc.php')}
require_once __DIR__.'/master.inc.php';
require_once DOL_DOCUMENT_ROOT.'/user/class/user.class.php';
// contract: htdocs/main.inc.php l.570-600 (20.0.2): an unfinished install/upgrade (MAIN_NOT_INSTALLED, MAIN_NOT_UPGRADED)
// or a database version (MAIN_VERSION_LAST_UPGRADE, else MAIN_VERSION_LAST_INSTALL) lower than DOL_VERSION sends every
// page to install/index.php: files of a new release over a database not migrated yet do not serve pages
$fixtureDbVersion = getDolGlobalString('MAIN_VERSION_LAST_UPGRADE', getDolGlobalString('MAIN_VERSION_LAST_INSTALL'));
if (getDolGlobalString('MAIN_NOT_INSTALLED') || getDolGlobalString('MAIN_NOT_UPGRADED') || ($fixtureDbVersion !== '' && version_compare(DOL_VERSION, $fixtureDbVersion, '>'))) {
	header('Location: '.DOL_URL_ROOT.'/install/index.php');
	exit;
}
// contract: main.inc.php: session cookie named DOLSESSID_<hash of the instance>
session_name('DOLSESSID_'.substr(md5(DOL_URL_ROOT.$conf->file->instance_unique_id), 0, 16));
session_set_cookie_params(array('path' => DOL_URL_ROOT.'/', 'httponly' => true, 'samesite' => 'Lax', 'secure' => !empty($_SERVER['HTTPS'])));
session_start();
// contract: master.inc.php l.194-199 (issue 18; real main.inc.php starts the session before it): the entity is the
// session's dol_entity, else the one the login form POSTs (with loginfunction), else 1; its constants are loaded then
$fixtureEntity = !empty($_SESSION['dol_entity']) ? (int) $_SESSION['dol_entity'] : ((isset($_POST['loginfunction']) && !empty($_POST['entity'])) ? (int) $_POST['entity'] : (int) $conf->entity);
if ($fixtureEntity !== (int) $conf->entity) {
	fixture_set_entity($db, $conf, $fixtureEntity);
}
// contract: main.inc.php l.1664-1668: nosniff and SAMEORIGIN sent by Dolibarr itself
header('X-Content-Type-Options: nosniff');
header('X-Frame-Options: SAMEORIGIN');
// contract: main.inc.php l.600-610: rolling CSRF token; the token posted must be the one of the previous page
if (isset($_SESSION['newtoken'])) {
	$_SESSION['token'] = $_SESSION['newtoken'];
}
$_SESSION['newtoken'] = bin2hex(random_bytes(16));
$fixtureLoginError = '';
// contract: main.inc.php l.657-705 + l.914: a POST with actionlogin=login must carry the session's token, then
// username/password are checked against llx_user.pass_crypted (password_verify for password_hash)
if (($_POST['actionlogin'] ?? '') === 'login') {
	if (empty($_POST['token']) || !isset($_SESSION['token']) || !hash_equals($_SESSION['token'], (string) $_POST['token'])) {
		$fixtureLoginError = 'ErrorBadValueForCSRFToken';
	} else {
		$candidate = new User($db);
		// contract: core/login/functions_dolibarr.php check_user_password_dolibarr() l.~86: the login is looked up
		// "AND entity IN (0, <entity posted>)": a user of entity 3 cannot log into entity 2 (issue 18)
		$found = $candidate->fetch(0, (string) ($_POST['username'] ?? ''), '', 0, (int) $conf->entity);
		if ($found > 0 && password_verify((string) ($_POST['password'] ?? ''), (string) $candidate->pass_indatabase_crypted)) {
			session_regenerate_id(true);
			$_SESSION['dol_login'] = $candidate->login;
			// contract: main.inc.php l.1242: the entity logged into is kept in the session
			$_SESSION['dol_entity'] = (int) $conf->entity;
			// contract: main.inc.php l.1264 (20.0.2): a successful login updates llx_user's last login date
			$db->begin();
			$candidate->update_last_login_date();
			// contract: main.inc.php l.1274-1293 (20.0.2; l.1201-1220 in 19.0.4): call_trigger('USER_LOGIN'); the core
			// trigger interface_20_all_Logevents.class.php runTrigger() returns 0 unless MAIN_LOGEVENTS_USER_LOGIN is set,
			// then INSERTs into llx_events (core/class/events.class.php create()) and returns -1 when that fails; on -1
			// main.inc.php rolls back, destroys the session and prints "Error in some triggers USER_LOGIN …", exit
			if (getDolGlobalString('MAIN_LOGEVENTS_USER_LOGIN')) {
				$fixtureEvent = $db->query("INSERT INTO ".MAIN_DB_PREFIX."events (type, entity, ip, user_agent, dateevent, fk_user, description) VALUES ('USER_LOGIN', ".((int) $conf->entity).", '".$db->escape((string) ($_SERVER['REMOTE_ADDR'] ?? ''))."', '".$db->escape(substr((string) ($_SERVER['HTTP_USER_AGENT'] ?? ''), 0, 250))."', NOW(), ".((int) $candidate->id).", '".$db->escape('(UserLogged,'.$candidate->login.')')."')");
				if (!$fixtureEvent) {
					$db->rollback();
					session_destroy();
					print 'Error in some triggers USER_LOGIN or in some hooks afterLogin: '.dol_escape_htmltag($db->error);
					exit;
				}
			}
			$db->commit();
			header('Location: '.$_SERVER['REQUEST_URI']);
			exit;
		}
		$fixtureLoginError = 'ErrorBadLoginPassword';
	}
}
// contract: main.inc.php: a page that defines NOLOGIN (public pages, cron_run_jobs_by_url.php l.39-41) is served
// without a login
if (empty($_SESSION['dol_login']) && !defined('NOLOGIN')) {
	// contract: core/tpl/login.tpl.php l.151-223: form id="login", hidden token/actionlogin/loginfunction, username, password
	http_response_code(200);
	print '<!DOCTYPE html><html><head><title>Login @ '.DOL_VERSION.'</title></head><body>';
	if ($fixtureLoginError) {
		print '<div class="error">'.$fixtureLoginError.'</div>';
	}
	print '<form id="login" name="login" method="post" action="'.dol_escape_htmltag($_SERVER['PHP_SELF']).'">';
	print '<input type="hidden" name="token" value="'.newToken().'" />';
	print '<input type="hidden" name="actionlogin" value="login">';
	print '<input type="hidden" name="loginfunction" value="loginfunction" />';
	print '<input type="text" id="username" name="username" value="" />';
	print '<input type="password" id="password" name="password" value="" />';
	// contract: core/tpl/login.tpl.php prints the hook getLoginPageOptions() output (multicompany: the entity select)
	if (is_object($mc)) {
		print $mc->getLoginPageOptions();
	}
	print '<input type="submit" value="Login"></form></body></html>';
	exit;
}
$user = new User($db);
if (!empty($_SESSION['dol_login'])) {
	$user->fetch(0, $_SESSION['dol_login'], '', 0, (int) $conf->entity);
	$user->getrights();
}
// contract: hook updateSession() of multicompany (actions_multicompany.class.php l.5361-5385), run by main.inc.php
// for a logged-in user: GET ?switchentity=N on a page switches when switchEntity() allows it, then reloads the page
if (is_object($mc) && !empty($_GET['switchentity']) && $user->id) {
	if ($mc->switchEntity((int) $_GET['switchentity'], $user) > 0) {
		header('Location: '.$_SERVER['PHP_SELF']);
		exit;
	}
}
function llxHeader($title)
{
	global $user;
	// contract: theme/eldy/global.inc.php l.91 (:root --colorbackhmenu1 from THEME_ELDY_TOPMENU_BACK1 "r,g,b"), read by
	// the entity's constants: per-entity branding (issue 18). Real Dolibarr serves it in style.css.php, inlined here.
	$fixtureMenuColor = getDolGlobalString('THEME_ELDY_TOPMENU_BACK1');
	print '<!DOCTYPE html><html><head><title>'.dol_escape_htmltag($title).'</title>';
	if (preg_match('/^\\d{1,3},\\d{1,3},\\d{1,3}$/', $fixtureMenuColor)) {
		print '<style>:root { --colorbackhmenu1: rgb('.$fixtureMenuColor.'); }</style>';
	}
	print '</head><body>';
	print '<div id="topmenu">'.dol_escape_htmltag($user->login).' <a href="'.DOL_URL_ROOT.'/user/logout.php?token='.newToken().'">Logout</a></div>';
}
function llxFooter()
{
	global $conf;
	// contract: main.inc.php (20.0.2) l.3858-3886, llxFooter(): on the home page, until a first ping is recorded,
	// the anonymous ping script reads $_SERVER["SERVER_ADMIN"] unguarded: a PHP warning where the web server
	// does not pass it (Apache does, from ServerAdmin; nginx only with a fastcgi_param)
	// contract: main.inc.php (20.0.2) l.3863-3868 (19.0.4 l.3737-3742): the ping is offered while no first ping is
	// recorded (MAIN_FIRST_PING_OK_DATE empty) or while MAIN_FIRST_PING_OK_ID is neither the instance's hash
	// (dol_hash('dolibarr'.instance_unique_id, 'sha256') = sha256, security.lib.php l.260) nor 'disabled'
	// (install/upgrade2.php l.620 sets it to 'torefresh' after each upgrade, so an upgrade pings again)
	$hash_unique_id = hash('sha256', 'dolibarr'.$conf->file->instance_unique_id);
	if ($_SERVER["PHP_SELF"] == DOL_URL_ROOT.'/index.php' && (!getDolGlobalString('MAIN_FIRST_PING_OK_DATE')
		|| (!empty($conf->file->instance_unique_id) && ($hash_unique_id != getDolGlobalString('MAIN_FIRST_PING_OK_ID')) && (getDolGlobalString('MAIN_FIRST_PING_OK_ID') != 'disabled')))) {
		$distrib = ($_SERVER["SERVER_ADMIN"] == 'doliwamp@localhost') ? 'doliwamp' : 'standard';
		print "\n<!-- JS CODE TO ENABLE the anonymous Ping (".$distrib.") -->\n";
		// contract: main.inc.php (20.0.2) l.3886-3897: the browser posts to MAIN_URL_FOR_PING, default https://ping.dolibarr.org/
		print '<script>jQuery(document).ready(function (tmp) { $.ajax({ method: "POST", url: "'.getDolGlobalString('MAIN_URL_FOR_PING', 'https://ping.dolibarr.org/').'" }); });</script>';
	}
	print '<div id="version">Dolibarr '.DOL_VERSION.'</div></body></html>';
}
`;
}

export function indexPhp(): string {
  return `${banner('htdocs/index.php')}
require 'main.inc.php';
// contract: htdocs/index.php l.59-62: home redirects to setup until company name and country are set
if (!getDolGlobalString('MAIN_INFO_SOCIETE_NOM') || !getDolGlobalString('MAIN_INFO_SOCIETE_COUNTRY')) {
	header('Location: '.DOL_URL_ROOT.'/admin/index.php?mainmenu=home&leftmenu=setup&mesg=setupnotcomplete');
	exit;
}
llxHeader('Home');
print '<h1>'.dol_escape_htmltag(getDolGlobalString('MAIN_INFO_SOCIETE_NOM')).'</h1><div id="dashboard">Dashboard</div>';
llxFooter();
`;
}

export function adminIndexPhp(): string {
  return `${banner('htdocs/admin/index.php')}
require '../main.inc.php';
llxHeader('Setup');
print '<h1>Setup</h1>';
if (($_GET['mesg'] ?? '') === 'setupnotcomplete') {
	print '<div class="warning">SetupNotComplete</div>';
}
llxFooter();
`;
}

export function logoutPhp(): string {
  return `${banner('htdocs/user/logout.php')}
require '../main.inc.php';
$_SESSION = array();
session_destroy();
header('Location: '.DOL_URL_ROOT.'/index.php');
`;
}

export function cronRunJobsPhp(): string {
  return `${banner('scripts/cron/cron_run_jobs.php')}
// contract: scripts/cron/cron_run_jobs.php l.28-140 (19.0.4): CLI only; defines NOSESSION/NOLOGIN…; requires
// ../../htdocs/master.inc.php; argv[1] = security key compared with CRON_KEY, argv[2] = user login or 'firstadmin';
// refuses when module cron is disabled
foreach (array('NOTOKENRENEWAL', 'NOREQUIREMENU', 'NOREQUIREHTML', 'NOREQUIREAJAX', 'NOLOGIN', 'NOSESSION') as $c) {
	if (!defined($c)) {
		define($c, '1');
	}
}
if (substr(PHP_SAPI, 0, 3) === 'cgi') {
	print "Error: use PHP CLI\\n";
	exit(-1);
}
$path = __DIR__.'/';
require_once $path.'../../htdocs/master.inc.php';
require_once DOL_DOCUMENT_ROOT.'/user/class/user.class.php';
if (empty($argv[1]) || empty($argv[2])) {
	print "Usage: cron_run_jobs.php securitykey userlogin|firstadmin [cronjobid]\\n";
	exit(-1);
}
if (!isModEnabled('cron')) {
	print "Error: module Scheduled jobs (cron) not activated\\n";
	exit(-1);
}
if ($argv[1] != getDolGlobalString('CRON_KEY')) {
	print "Error: securitykey is wrong\\n";
	exit(-1);
}
$userlogin = $argv[2];
if ($userlogin === 'firstadmin') {
	$res = $db->query("SELECT login FROM ".MAIN_DB_PREFIX."user WHERE admin = 1 AND statut = 1 ORDER BY entity LIMIT 1");
	$o = $res ? $db->fetch_object($res) : null;
	$userlogin = $o ? $o->login : '';
}
$cronuser = new User($db);
if ($cronuser->fetch(0, $userlogin) <= 0) {
	print "User login: ".$userlogin." does not exists\\n";
	exit(-1);
}
print "cron_run_jobs.php (".DOL_VERSION.") - userlogin=".$userlogin." - 0 jobs run\\n";
exit(0);
`;
}
