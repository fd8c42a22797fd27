/**
 * Fixture release, core runtime files. Written for mokodeploy's tests, NOT Dolibarr code: each file only
 * imitates the contract (names, arguments, files, side effects) of the Dolibarr file it stands for.
 */
import type { FixtureOptions } from './options.js';

const banner = (what: string) => `<?php\n// mokodeploy fixture release: ${what}. Not Dolibarr code; imitates its contract only.\n`;

export function filefuncIncPhp(o: FixtureOptions): string {
  // contract: htdocs/filefunc.inc.php l.37-38 (20.0.2): define('DOL_VERSION', 'x.y.z'); from 23.0 the split
  // layout: htdocs/version.inc.php defines DOL_MAJOR_VERSION, filefunc.inc.php DOL_MINOR_VERSION.
  const [major, ...rest] = o.version.split('.');
  const versionLines = o.splitVersionFile
    ? `if (!defined('DOL_MINOR_VERSION')) {\n\tdefine('DOL_MINOR_VERSION', '${rest.join('.')}');\n}\nrequire_once __DIR__.'/version.inc.php';\n`
    : `if (!defined('DOL_VERSION')) {\n\tdefine('DOL_VERSION', '${o.version}');\n}\n`;
  void major;
  return `${banner('htdocs/filefunc.inc.php')}${versionLines}if (defined('FIXTURE_VERSION_ONLY')) {
	return;
}
// contract: filefunc.inc.php: conf path hard-coded relative to htdocs ($conffile = "conf/conf.php")
$conffile = 'conf/conf.php';
$result = @include_once $conffile;
if (!$result) {
	if (PHP_SAPI !== 'cli') {
		header('Location: install/index.php');
	} else {
		print "Error: conf/conf.php not found\\n";
	}
	exit(1);
}
// contract: filefunc.inc.php l.~266: $dolibarr_main_prod hides PHP errors
ini_set('display_errors', empty($dolibarr_main_prod) ? '1' : '0');
define('DOL_DOCUMENT_ROOT', rtrim($dolibarr_main_document_root, '/'));
define('DOL_DATA_ROOT', rtrim(isset($dolibarr_main_data_root) ? $dolibarr_main_data_root : DOL_DOCUMENT_ROOT.'/../documents', '/'));
define('MAIN_DB_PREFIX', isset($dolibarr_main_db_prefix) ? $dolibarr_main_db_prefix : 'llx_');
$fixtureUri = preg_replace('/^https?:\\/\\//i', '', (string) $dolibarr_main_url_root);
$fixtureSub = strstr($fixtureUri, '/');
define('DOL_URL_ROOT', ($fixtureSub === false || $fixtureSub === '/') ? '' : rtrim($fixtureSub, '/'));
`;
}

export function versionIncPhp(o: FixtureOptions): string {
  const [major] = o.version.split('.');
  // contract: htdocs/version.inc.php (23.0 develop): DOL_MAJOR_VERSION and DOL_VERSION built from it
  return `${banner('htdocs/version.inc.php')}define('DOL_MAJOR_VERSION', '${major}');\ndefine('DOL_VERSION', DOL_MAJOR_VERSION.'.'.DOL_MINOR_VERSION);\n`;
}

export function mysqliClassPhp(): string {
  // contract: htdocs/core/db/mysqli.class.php: a DoliDB with query/fetch_object/escape/lasterror, set_charset from conf
  return `${banner('htdocs/core/db/mysqli.class.php')}
class DoliDBMysqli
{
	public $db;
	public $connected = false;
	public $error = '';
	public $lastqueryerror = '';
	public $type = 'mysqli';

	public function __construct($type, $host, $user, $pass, $name = '', $port = 0)
	{
		mysqli_report(MYSQLI_REPORT_OFF);
		$this->db = @new mysqli($host, $user, $pass, $name, (int) ($port ? $port : 3306));
		if ($this->db->connect_errno) {
			$this->error = $this->db->connect_error;
			return;
		}
		$this->connected = true;
	}
	public function setCharset($charset, $collation)
	{
		$this->db->set_charset($charset ? $charset : 'utf8');
		if ($collation) {
			$this->db->query("SET collation_connection = '".$this->escape($collation)."'");
		}
	}
	public function query($sql)
	{
		// contract: mysqli.class.php query() l.330-337 (19.0.4) / l.342-349 (20.0.2): with $dolibarr_main_db_readonly
		// a statement starting INSERT|UPDATE|REPLACE|DELETE|CREATE|ALTER|TRUNCATE|DROP is refused (APPREADONLY)
		global $dolibarr_main_db_readonly;
		if (!empty($dolibarr_main_db_readonly) && preg_match('/^(INSERT|UPDATE|REPLACE|DELETE|CREATE|ALTER|TRUNCATE|DROP)/i', trim($sql))) {
			$this->error = 'Application in read-only mode';
			$this->lastqueryerror = $sql;
			return false;
		}
		$res = $this->db->query($sql);
		if (!$res) {
			$this->error = $this->db->error;
			$this->lastqueryerror = $sql;
		}
		return $res;
	}
	public function errno()
	{
		return $this->db->errno;
	}
	public function fetch_object($res)
	{
		return $res->fetch_object();
	}
	public function num_rows($res)
	{
		return $res->num_rows;
	}
	public function escape($s)
	{
		return $this->db->real_escape_string((string) $s);
	}
	public function encrypt($value)
	{
		return "'".$this->escape($value)."'";
	}
	public function lasterror()
	{
		return $this->error;
	}
	public function prefix()
	{
		return MAIN_DB_PREFIX;
	}
	public function last_insert_id($table = '')
	{
		return $this->db->insert_id;
	}
	public function begin()
	{
		return 1;
	}
	public function commit()
	{
		return 1;
	}
	public function rollback()
	{
		return 1;
	}
}

function getDoliDBInstance($type, $host, $user, $pass, $name, $port)
{
	return new DoliDBMysqli($type, $host, $user, $pass, $name, $port);
}
`;
}

export function functionsLibPhp(): string {
  // contract: htdocs/core/lib/functions.lib.php: getDolGlobalString/Int, isModEnabled, dol_syslog, newToken
  return `${banner('htdocs/core/lib/functions.lib.php')}
function getDolGlobalString($key, $default = '')
{
	global $conf;
	return (isset($conf->global->$key) && $conf->global->$key !== '') ? (string) $conf->global->$key : $default;
}
function getDolGlobalInt($key, $default = 0)
{
	return (int) getDolGlobalString($key, (string) $default);
}
function isModEnabled($module)
{
	return getDolGlobalString('MAIN_MODULE_'.strtoupper($module)) !== '';
}
function dol_syslog($message, $level = 0)
{
}
// contract: functions.lib.php dol_include_once($relpath): include_once of the first of document_root(_alt).$relpath
function dol_include_once($relpath, $classname = '')
{
	foreach (array(DOL_DOCUMENT_ROOT.'/custom', DOL_DOCUMENT_ROOT) as $root) {
		if (is_file($root.$relpath)) {
			return include_once $root.$relpath;
		}
	}
	return false;
}
function dol_escape_htmltag($s)
{
	return htmlspecialchars((string) $s, ENT_QUOTES);
}
function newToken()
{
	return isset($_SESSION['newtoken']) ? $_SESSION['newtoken'] : '';
}
// contract: functions.lib.php getEntity($element, $shared = 1) (20.0.2 l.408-444): with the multicompany module loaded
// as $mc (conf.class.php l.497-499) its getEntity() answers (the current entity plus the entities sharing the
// element); without it, the current entity, with '0,' first for user, usergroup, cronjob and other $addzero elements.
// Every list and object fetch puts it in "entity IN (...)", so a user of one entity reads no other entity's rows.
function getEntity($element, $shared = 1, $currentobject = null)
{
	global $conf, $mc;
	if (is_object($mc)) {
		return $mc->getEntity($element, $shared, $currentobject);
	}
	$addzero = array('user', 'usergroup', 'cronjob', 'c_email_templates', 'email_template', 'default_values', 'overwrite_trans');
	return (in_array($element, $addzero) ? '0,' : '').((int) $conf->entity);
}
// contract: master.inc.php l.194-199 + conf.class.php setValues(): the constants of the entity chosen (session
// dol_entity, the POSTed login entity, $_ENV['dol_entity'] for a CLI) are loaded after the entity is known;
// conf.class.php l.497-499: with MAIN_MODULE_MULTICOMPANY on, the module's ActionsMulticompany becomes $mc
function fixture_set_entity($db, $conf, $entity)
{
	global $mc;
	$conf->entity = (int) $entity;
	$conf->global = new stdClass();
	fixture_load_consts($db, $conf);
	$mc = null;
	if (isModEnabled('multicompany') && dol_include_once('/multicompany/class/actions_multicompany.class.php')) {
		$mc = new ActionsMulticompany($db);
	}
}
function fixture_load_consts($db, $conf)
{
	$res = $db->query("SELECT name, value FROM ".MAIN_DB_PREFIX."const WHERE entity IN (0, ".((int) $conf->entity).") ORDER BY entity");
	while ($res && ($o = $db->fetch_object($res))) {
		$name = $o->name;
		// contract: conf.class.php setValues() l.382-387 (20.0.2; l.342-347 in 19.0.4): a constant of llx_const is
		// overridden by $_SERVER['DOLIBARR_<name>'] (then $_ENV) when set
		$conf->global->$name = isset($_SERVER['DOLIBARR_'.$name]) ? $_SERVER['DOLIBARR_'.$name] : (isset($_ENV['DOLIBARR_'.$name]) ? $_ENV['DOLIBARR_'.$name] : $o->value);
	}
}
`;
}

export function masterIncPhp(): string {
  // contract: htdocs/master.inc.php l.38-99 (20.0.2): require filefunc.inc.php, build $conf (file, db,
  // instance_unique_id l.86), connect $db with conf.php values, load constants, $langs, $mysoc, $hookmanager
  return `${banner('htdocs/master.inc.php')}
require_once 'filefunc.inc.php';
require_once DOL_DOCUMENT_ROOT.'/core/db/mysqli.class.php';
require_once DOL_DOCUMENT_ROOT.'/core/lib/functions.lib.php';
$conf = new stdClass();
// contract: master.inc.php l.194-196: a CLI script's entity from $_ENV['dol_entity'] (issue 18), else 1
$conf->entity = !empty($_ENV['dol_entity']) ? (int) $_ENV['dol_entity'] : 1;
$conf->global = new stdClass();
$conf->file = new stdClass();
$conf->file->instance_unique_id = $dolibarr_main_instance_unique_id;
$conf->db = new stdClass();
$conf->db->character_set = $dolibarr_main_db_character_set;
$conf->db->dolibarr_main_db_collation = $dolibarr_main_db_collation;
$db = getDoliDBInstance($dolibarr_main_db_type, $dolibarr_main_db_host, $dolibarr_main_db_user, $dolibarr_main_db_pass, $dolibarr_main_db_name, (int) $dolibarr_main_db_port);
if (!$db->connected) {
	print "Error: database connection failed: ".$db->error."\\n";
	exit(1);
}
$db->setCharset($dolibarr_main_db_character_set, $dolibarr_main_db_collation);
fixture_set_entity($db, $conf, $conf->entity);
class FixtureLangs
{
	public $defaultlang = 'en_US';
	public function trans($key)
	{
		return $key;
	}
	public function load($file)
	{
		return 1;
	}
	public function loadLangs($files)
	{
		return 1;
	}
}
$langs = new FixtureLangs();
$mysoc = new stdClass();
$mysoc->country_code = explode(':', getDolGlobalString('MAIN_INFO_SOCIETE_COUNTRY', '::'))[1] ?? '';
class FixtureHookManager
{
	public function initHooks($contexts)
	{
		return 1;
	}
}
$hookmanager = new FixtureHookManager();
`;
}

export function confPhpExample(): string {
  // contract: htdocs/conf/conf.php.example: the variables step1 writes (DOLIBARR.md §3)
  return `${banner('htdocs/conf/conf.php.example')}// $dolibarr_main_url_root='http://localhost';
// $dolibarr_main_document_root='/var/www/dolibarr/htdocs';
// $dolibarr_main_url_root_alt='/custom';
// $dolibarr_main_document_root_alt='/var/www/dolibarr/htdocs/custom';
// $dolibarr_main_data_root='/var/www/dolibarr/documents';
// $dolibarr_main_db_host='localhost';
// $dolibarr_main_db_port='3306';
// $dolibarr_main_db_name='dolibarr';
// $dolibarr_main_db_prefix='llx_';
// $dolibarr_main_db_user='dolibarr';
// $dolibarr_main_db_pass='';
// $dolibarr_main_db_type='mysqli';
// $dolibarr_main_db_character_set='utf8';
// $dolibarr_main_db_collation='utf8_unicode_ci';
// $dolibarr_main_authentication='dolibarr';
// $dolibarr_main_prod='1';
// $dolibarr_main_instance_unique_id='';
`;
}
