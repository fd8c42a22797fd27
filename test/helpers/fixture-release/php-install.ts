/** Fixture release, install pages. Not Dolibarr code: each page imitates the CLI contract of its namesake. */

const banner = (what: string) => `<?php\n// mokodeploy fixture release: ${what}. Not Dolibarr code; imitates its contract only.\n`;

export function installIncPhp(): string {
  return `${banner('htdocs/install/inc.php')}
// contract: htdocs/install/inc.php l.41-42: DOL_DOCUMENT_ROOT is '..' for install pages; l.69 $conffile = "../conf/conf.php"
if (!defined('DOL_DOCUMENT_ROOT')) {
	define('DOL_DOCUMENT_ROOT', '..');
}
$conffile = '../conf/conf.php';
$conffiletoshow = $conffile;
// DOL_VERSION only (the fixture's filefunc.inc.php returns early when FIXTURE_VERSION_ONLY is defined)
define('FIXTURE_VERSION_ONLY', 1);
include '../filefunc.inc.php';
// contract: inc.php l.134-197: getopt() for -c/--config and -h, then $argv re-sliced from the rest index
if (PHP_SAPI === 'cli') {
	$rest_index = 0;
	$opts = getopt('c:h', array('config:', 'help'), $rest_index);
	foreach ($opts as $opt => $arg) {
		if ($opt === 'c' || $opt === 'config') {
			$conffile = $arg;
			$conffiletoshow = $arg;
		}
		if ($opt === 'h' || $opt === 'help') {
			print "Usage: php step1.php set [lang] ...\\n";
			exit(0);
		}
	}
	$argv = array_merge(array($argv[0]), array_slice($argv, $rest_index));
	$argc = count($argv);
}
require_once DOL_DOCUMENT_ROOT.'/core/db/mysqli.class.php';
require_once DOL_DOCUMENT_ROOT.'/core/lib/functions.lib.php';
$conf = new stdClass();
$conf->entity = 1;
$conf->global = new stdClass();
$conf->db = new stdClass();
// contract: inc.php l.200: conf.php loaded unless DONOTLOADCONF (step1) and only when longer than 8 bytes
if (!defined('DONOTLOADCONF') && file_exists($conffile) && filesize($conffile) > 8) {
	include_once $conffile;
}
if (!defined('MAIN_DB_PREFIX')) {
	define('MAIN_DB_PREFIX', (isset($dolibarr_main_db_prefix) && $dolibarr_main_db_prefix) ? $dolibarr_main_db_prefix : 'llx_');
}
// contract: inc.php l.~262: DOL_DATA_ROOT from conf, else DOL_DOCUMENT_ROOT/../documents (so step1 never sees an external data root)
define('DOL_DATA_ROOT', isset($dolibarr_main_data_root) ? rtrim($dolibarr_main_data_root, '/') : DOL_DOCUMENT_ROOT.'/../documents');
// contract: inc.php l.~300-330: locked if DATA_ROOT/install.lock or DOCUMENT_ROOT/install.lock exists, unless the page
// defines ALLOWED_IF_UPGRADE_UNLOCK_FOUND and DATA_ROOT/upgrade.unlock (or DOCUMENT_ROOT/upgrade.unlock) exists
$islocked = false;
if (@file_exists(DOL_DATA_ROOT.'/install.lock') || @file_exists(DOL_DOCUMENT_ROOT.'/install.lock')) {
	if (!defined('ALLOWED_IF_UPGRADE_UNLOCK_FOUND') || (!@file_exists(DOL_DATA_ROOT.'/upgrade.unlock') && !@file_exists(DOL_DOCUMENT_ROOT.'/upgrade.unlock'))) {
		$islocked = true;
	}
}
if ($islocked) {
	print "Install pages have been locked (install.lock found).\\n";
	exit(1);
}
function pHeader($title)
{
	print "<html><body><h1>".$title."</h1>\\n";
}
function pFooter()
{
	print "</body></html>\\n";
}
function fixture_connect_from_conf()
{
	global $dolibarr_main_db_type, $dolibarr_main_db_host, $dolibarr_main_db_user, $dolibarr_main_db_pass, $dolibarr_main_db_name, $dolibarr_main_db_port;
	global $dolibarr_main_db_character_set, $dolibarr_main_db_collation;
	$db = getDoliDBInstance($dolibarr_main_db_type, $dolibarr_main_db_host, $dolibarr_main_db_user, $dolibarr_main_db_pass, $dolibarr_main_db_name, (int) $dolibarr_main_db_port);
	if ($db->connected) {
		$db->setCharset($dolibarr_main_db_character_set, $dolibarr_main_db_collation);
	}
	return $db;
}
`;
}

export function step1Php(version: string): string {
  return `${banner('htdocs/install/step1.php')}
define('DONOTLOADCONF', 1);
include 'inc.php';
// contract: htdocs/install/step1.php l.36-61 argument order: action lang main_dir main_data_dir main_url
// db_user_root db_pass_root db_type db_host db_name db_user db_pass db_port db_prefix create_db create_user
$action = empty($argv[1]) ? '' : $argv[1];
$main_dir = empty($argv[3]) ? '' : $argv[3];
$main_data_dir = empty($argv[4]) ? $main_dir.'/documents' : $argv[4];
$main_url = empty($argv[5]) ? '' : $argv[5];
$db_type = empty($argv[8]) ? '' : $argv[8];
$db_host = empty($argv[9]) ? '' : $argv[9];
$db_name = empty($argv[10]) ? '' : $argv[10];
$db_user = empty($argv[11]) ? '' : $argv[11];
$db_pass = empty($argv[12]) ? '' : $argv[12];
$db_port = empty($argv[13]) ? '' : $argv[13];
$db_prefix = empty($argv[14]) ? 'llx_' : $argv[14];
pHeader('DolibarrSetup - ConfigurationFile');
// contract: step1.php l.164: the conf file must exist and be writable, else ConfFileIsNotWritable
if (!is_writable($conffile)) {
	print "ConfFileIsNotWritable ".$conffiletoshow."\\n";
	pFooter();
	exit;
}
if ($action !== 'set' || empty($db_type) || empty($db_host) || empty($db_name) || empty($db_user)) {
	print "ErrorFieldRequired\\n";
	exit;
}
// contract: step1.php: test the database connection with the given account
$db = getDoliDBInstance($db_type, $db_host, $db_user, $db_pass, $db_name, (int) $db_port);
if (!$db->connected) {
	print "ErrorConnectionFailed ".$db->error."\\n";
	exit;
}
// contract: step1.php: create DATA_DIR with .htaccess and the standard sub-directories
foreach (array('', '/mycompany', '/medias', '/users', '/facture', '/propale', '/ficheinter', '/produit', '/doctemplates') as $sub) {
	if (!is_dir($main_data_dir.$sub)) {
		@mkdir($main_data_dir.$sub, 0755, true);
	}
}
@file_put_contents($main_data_dir.'/.htaccess', "Order allow,deny\\nDeny from all\\n");
// contract (observed on 20.0.2): the .htaccess step1 writes ends up mode 0666
@chmod($main_data_dir.'/.htaccess', 0666);
// contract: step1.php write_conf_file() l.843-942: utf8 / utf8_unicode_ci and $key = md5(uniqid(mt_rand())) every time
$key = md5(uniqid((string) mt_rand(), true));
$q = function ($s) {
	return str_replace(array('\\\\', "'"), array('\\\\\\\\', "\\\\'"), (string) $s);
};
$text = "<?php\\n// File generated by the fixture installer ${version}\\n";
$text .= "\\$dolibarr_main_url_root='".$q($main_url)."';\\n";
$text .= "\\$dolibarr_main_document_root='".$q($main_dir)."';\\n";
$text .= "\\$dolibarr_main_url_root_alt='/custom';\\n";
$text .= "\\$dolibarr_main_document_root_alt='".$q($main_dir.'/custom')."';\\n";
$text .= "\\$dolibarr_main_data_root='".$q($main_data_dir)."';\\n";
$text .= "\\$dolibarr_main_db_host='".$q($db_host)."';\\n";
$text .= "\\$dolibarr_main_db_port='".((int) $db_port)."';\\n";
$text .= "\\$dolibarr_main_db_name='".$q($db_name)."';\\n";
$text .= "\\$dolibarr_main_db_prefix='".$q($db_prefix)."';\\n";
$text .= "\\$dolibarr_main_db_user='".$q($db_user)."';\\n";
$text .= "\\$dolibarr_main_db_pass='".$q($db_pass)."';\\n";
$text .= "\\$dolibarr_main_db_type='".$q($db_type)."';\\n";
$text .= "\\$dolibarr_main_db_character_set='utf8';\\n";
$text .= "\\$dolibarr_main_db_collation='utf8_unicode_ci';\\n";
$text .= "\\$dolibarr_main_authentication='dolibarr';\\n";
$text .= "\\$dolibarr_main_prod='0';\\n";
$text .= "\\$dolibarr_main_force_https='0';\\n";
$text .= "\\$dolibarr_nocsrfcheck='0';\\n";
$text .= "\\$dolibarr_main_instance_unique_id='".$key."';\\n";
$fp = fopen($conffile, 'w');
fwrite($fp, $text);
fclose($fp);
print "SaveConfigurationFile ".$conffile." OK\\n";
pFooter();
`;
}

export function step2Php(): string {
  return `${banner('htdocs/install/step2.php')}
include 'inc.php';
// contract: htdocs/install/step2.php l.48-49: 1 action ('set'), 2 lang; loads install/mysql/tables/llx_*.sql (names with '-'
// skipped), then *.key.sql, then data/*.sql; "already exists" / "Duplicate key name" tolerated; exit 1 on failure (l.581)
$action = empty($argv[1]) ? '' : $argv[1];
pHeader('DolibarrSetup - CreateDatabaseObjects');
if ($action !== 'set') {
	print "Parameter action=set not defined\\n";
	exit(1);
}
$db = fixture_connect_from_conf();
if (!$db->connected) {
	print "ErrorConnectionFailed ".$db->error."\\n";
	exit(1);
}
$ok = true;
$tolerated = array(1050, 1060, 1061, 1062);
$run = function ($file) use ($db, $tolerated, &$ok) {
	$sql = preg_replace('/^--.*$/m', '', file_get_contents($file));
	$sql = str_replace(array('llx_', '__ENTITY__'), array(MAIN_DB_PREFIX, '1'), $sql);
	foreach (array_filter(array_map('trim', explode(";\\n", $sql.";\\n"))) as $statement) {
		if (!$db->query(rtrim($statement, ';')) && !in_array($db->errno(), $tolerated, true)) {
			print "Error ".basename($file).": ".$db->lasterror()."\\n";
			$ok = false;
		}
	}
};
$tables = glob('mysql/tables/llx_*.sql');
foreach ($tables as $file) {
	if (strpos(basename($file), '-') === false && !preg_match('/\\.key\\.sql$/', $file)) {
		$run($file);
	}
}
foreach ($tables as $file) {
	if (strpos(basename($file), '-') === false && preg_match('/\\.key\\.sql$/', $file)) {
		$run($file);
	}
}
foreach (glob('mysql/data/*.sql') as $file) {
	$run($file);
}
// contract: a fresh database is marked not-installed until step5 (MAIN_NOT_INSTALLED)
$db->query("INSERT INTO ".MAIN_DB_PREFIX."const(name, value, type, entity) VALUES ('MAIN_NOT_INSTALLED', '1', 'chaine', 0)");
print $ok ? "TablesAndPrimaryKeysCreation OK\\n" : "Errors\\n";
pFooter();
exit($ok ? 0 : 1);
`;
}

export function step5Php(): string {
  return `${banner('htdocs/install/step5.php')}
define('ALLOWED_IF_UPGRADE_UNLOCK_FOUND', 1);
include_once 'inc.php';
require_once $dolibarr_main_document_root.'/core/lib/admin.lib.php';
require_once $dolibarr_main_document_root.'/user/class/user.class.php';
// contract: htdocs/install/step5.php l.50-76: 1 versionfrom, 2 versionto, 3 lang, 4 action ('set' | 'upgrade' | 'upgrade_X'),
// 5 login, 6 pass, 7 pass_verif, 8 install lock mode
$versionfrom = empty($argv[1]) ? '' : $argv[1];
$versionto = empty($argv[2]) ? '' : $argv[2];
$setuplang = empty($argv[3]) ? 'auto' : $argv[3];
$action = empty($argv[4]) ? '' : $argv[4];
$login = empty($argv[5]) ? '' : $argv[5];
$pass = empty($argv[6]) ? '' : $argv[6];
$pass_verif = empty($argv[7]) ? '' : $argv[7];
$lockmode = empty($argv[8]) ? '' : $argv[8];
$targetversion = DOL_VERSION;
if (preg_match('/^upgrade_(.+)$/', $action, $m)) {
	$targetversion = $m[1];
}
if ($action === 'set' && ($pass !== $pass_verif || trim($pass) === '' || trim($login) === '')) {
	print "Error: password and verification differ, or empty login/password\\n";
	exit(1);
}
// contract: step5.php l.131: for a first install conf.php must still be writable
if (empty($versionfrom) && empty($versionto) && !is_writable($conffile)) {
	print "ConfFileIsNotWritable\\n";
	exit(1);
}
$db = fixture_connect_from_conf();
fixture_load_consts($db, $conf);
$error = 0;
if ($action === 'set') {
	// contract: step5.php l.170-200: init modUser, password hashing constants, admin user (entity 0, admin 1)
	activateModule('modUser');
	dolibarr_set_const($db, 'DATABASE_PWD_ENCRYPTED', '1', 'chaine', 0, '', 0);
	dolibarr_set_const($db, 'MAIN_SECURITY_HASH_ALGO', 'password_hash', 'chaine', 0, '', 0);
	dolibarr_set_const($db, 'MAIN_SECURITY_SALT', bin2hex(random_bytes(8)), 'chaine', 0, '', 0);
	$admin = new User($db);
	if ($admin->fetch(0, $login) <= 0) {
		$admin->login = $login;
		$admin->lastname = 'SuperAdmin';
		$admin->admin = 1;
		$admin->entity = 0;
		if ($admin->create(null) <= 0) {
			print "Error creating admin: ".$admin->error."\\n";
			$error++;
		}
	}
	$admin->setPassword(null, $pass);
	// contract: step5.php l.281-310: modules with enabled_bydefault, plus $force_install_module
	foreach (glob(DOL_DOCUMENT_ROOT.'/core/modules/mod*.class.php') as $file) {
		$class = basename($file, '.class.php');
		include_once $file;
		$mod = new $class($db);
		if (!empty($mod->enabled_bydefault)) {
			activateModule($class);
		}
	}
	$db->query("DELETE FROM ".MAIN_DB_PREFIX."const WHERE name = 'MAIN_NOT_INSTALLED'");
	dolibarr_set_const($db, 'MAIN_VERSION_FIRST_INSTALL', DOL_VERSION, 'chaine', 0, '', 0);
	dolibarr_set_const($db, 'MAIN_VERSION_LAST_INSTALL', DOL_VERSION, 'chaine', 0, '', 0);
	dolibarr_set_const($db, 'MAIN_LANG_DEFAULT', $setuplang, 'chaine', 0, '', 0);
} elseif (empty($action) || preg_match('/upgrade/', $action)) {
	// contract: step5.php upgrade: MAIN_VERSION_LAST_UPGRADE = target; the last step removes upgrade.unlock
	dolibarr_set_const($db, 'MAIN_VERSION_LAST_UPGRADE', $targetversion, 'chaine', 0, '', 0);
	if ($targetversion === DOL_VERSION) {
		@unlink(DOL_DATA_ROOT.'/upgrade.unlock');
	}
}
// contract: step5.php l.452-463: with a lock mode, write DATA_ROOT/install.lock and chmod it (octal)
if (!$error && ($lockmode !== '' || getDolGlobalString('MAIN_ALWAYS_CREATE_LOCK_AFTER_LAST_UPGRADE'))) {
	$lockfile = DOL_DATA_ROOT.'/install.lock';
	$mode = ($lockmode === '' || $lockmode === '1') ? '444' : $lockmode;
	file_put_contents($lockfile, 'This is a lock file to prevent use of install or upgrade pages (set with permission '.$mode.')');
	chmod($lockfile, octdec($mode));
}
print $error ? "Errors\\n" : "SystemIsInstalled\\n";
exit($error ? 1 : 0);
`;
}

export function upgradePhp(): string {
  return `${banner('htdocs/install/upgrade.php')}
define('ALLOWED_IF_UPGRADE_UNLOCK_FOUND', 1);
include_once 'inc.php';
// contract: htdocs/install/upgrade.php l.65-68: 1 versionfrom, 2 versionto, 3 dirmodule|ignoredbversion;
// l.~330: runs only mysql/migration files named ^FROMx.y.0- or -TOx.y.0.sql$ (one major per pass)
$versionfrom = empty($argv[1]) ? '' : $argv[1];
$versionto = empty($argv[2]) ? '' : $argv[2];
if ($versionfrom === '' || $versionto === '') {
	print "Usage: php upgrade.php FROM TO\\n";
	exit(1);
}
$db = fixture_connect_from_conf();
$from = preg_replace('/^(\\d+\\.\\d+).*/', '$1.0', $versionfrom);
$to = preg_replace('/^(\\d+\\.\\d+).*/', '$1.0', $versionto);
$ok = true;
// contract: the page is HTML even from php-cli (pHeader, a table, pFooter: install/inc.php l.605-645); run_sql()
// (core/lib/admin.lib.php l.499-501, 19.0.4) prints a statement it does not tolerate as
// <tr><td class="tdtop" colspan="2"><div class="error">Error DB_ERROR_x (Req N): SQL<br>DB message</div></td></tr>,
// the code named by core/db/mysqli.class.php errno() l.512-555 (DB_ERROR_<number> when not mapped)
// mysqli.class.php errno() l.520-547 names the codes; run_sql() accepts some of them (admin.lib.php l.477-491)
$codes = array(1004 => 'DB_ERROR_CANNOT_CREATE', 1005 => 'DB_ERROR_CANNOT_CREATE', 1006 => 'DB_ERROR_CANNOT_CREATE',
	1022 => 'DB_ERROR_KEY_NAME_ALREADY_EXISTS', 1025 => 'DB_ERROR_NO_FOREIGN_KEY_TO_DROP',
	1050 => 'DB_ERROR_TABLE_ALREADY_EXISTS', 1051 => 'DB_ERROR_NOSUCHTABLE', 1054 => 'DB_ERROR_NOSUCHFIELD',
	1060 => 'DB_ERROR_COLUMN_ALREADY_EXISTS', 1061 => 'DB_ERROR_KEY_NAME_ALREADY_EXISTS',
	1062 => 'DB_ERROR_RECORD_ALREADY_EXISTS', 1064 => 'DB_ERROR_SYNTAX', 1068 => 'DB_ERROR_PRIMARY_KEY_ALREADY_EXISTS',
	1075 => 'DB_ERROR_CANT_DROP_PRIMARY_KEY', 1091 => 'DB_ERROR_NOSUCHFIELD', 1146 => 'DB_ERROR_NOSUCHTABLE');
$okerrors = array('DB_ERROR_TABLE_ALREADY_EXISTS', 'DB_ERROR_COLUMN_ALREADY_EXISTS', 'DB_ERROR_KEY_NAME_ALREADY_EXISTS',
	'DB_ERROR_RECORD_ALREADY_EXISTS', 'DB_ERROR_NOSUCHTABLE', 'DB_ERROR_NOSUCHFIELD', 'DB_ERROR_NO_FOREIGN_KEY_TO_DROP',
	'DB_ERROR_NO_INDEX_TO_DROP', 'DB_ERROR_CANNOT_CREATE', 'DB_ERROR_CANT_DROP_PRIMARY_KEY',
	'DB_ERROR_PRIMARY_KEY_ALREADY_EXISTS', 'DB_ERROR_22P02');
pHeader('Upgrade');
print '<table cellspacing="0" cellpadding="1" class="centpercent">'."\\n";
foreach (glob('mysql/migration/*.sql') as $file) {
	$name = basename($file);
	if (strpos($name, $from.'-') !== 0 && !preg_match('/-'.preg_quote($to, '/').'\\.sql$/', $name)) {
		continue;
	}
	print '<tr><td class="nowrap">ChoosedMigrateScript</td><td class="right">'.$name.'</td></tr>'."\\n";
	$sql = str_replace('llx_', MAIN_DB_PREFIX, preg_replace('/^--.*$/m', '', file_get_contents($file)));
	$i = 0;
	foreach (array_filter(array_map('trim', explode(";\\n", $sql.";\\n"))) as $statement) {
		$newsql = rtrim($statement, ';');
		$i++;
		if (!$db->query($newsql)) {
			$code = isset($codes[$db->errno()]) ? $codes[$db->errno()] : 'DB_ERROR_'.$db->errno();
			if (in_array($code, $okerrors, true)) {
				continue;
			}
			print '<tr><td class="tdtop" colspan="2">';
			print '<div class="error">Error '.$code." (Req ".$i."): ".$newsql."<br>".$db->lasterror()."</div>";
			print '</td></tr>'."\\n";
			$ok = false;
		}
	}
	print '<tr><td>ProcessMigrateScript</td><td class="right">'.($ok ? '<span class="ok">OK</span>' : '<span class="error">Error</span>').'</td></tr>'."\\n";
}
print '</table>'."\\n";
pFooter();
exit($ok ? 0 : 1);
`;
}

export function upgrade2Php(): string {
  return `${banner('htdocs/install/upgrade2.php')}
define('ALLOWED_IF_UPGRADE_UNLOCK_FOUND', 1);
include_once 'inc.php';
require_once $dolibarr_main_document_root.'/core/lib/admin.lib.php';
// contract: htdocs/install/upgrade2.php l.78-80: 1 versionfrom, 2 versionto, 3 MAIN_MODULE_A,MAIN_MODULE_B to enable
$versionfrom = empty($argv[1]) ? '' : $argv[1];
$versionto = empty($argv[2]) ? '' : $argv[2];
$enablemodules = empty($argv[3]) ? '' : $argv[3];
$db = fixture_connect_from_conf();
fixture_load_consts($db, $conf);
$error = 0;
foreach (array_filter(explode(',', $enablemodules)) as $constname) {
	$class = 'mod'.ucfirst(strtolower(preg_replace('/^MAIN_MODULE_/', '', $constname)));
	$res = activateModule($class);
	$error += count($res['errors']);
}
// contract: htdocs/install/upgrade2.php l.618-622 (20.0.2; l.616-620 in 19.0.4): a successful upgrade asks for a new
// first ping, in every entity: UPDATE llx_const SET VALUE = 'torefresh' WHERE name = 'MAIN_FIRST_PING_OK_ID'
if (!$error) {
	$db->query("UPDATE ".MAIN_DB_PREFIX."const SET value = 'torefresh' WHERE name = 'MAIN_FIRST_PING_OK_ID'");
}
print "MigrationFinished ".$versionfrom." -> ".$versionto."\\n";
exit($error ? 1 : 0);
`;
}
