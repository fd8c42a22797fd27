/** Fixture release: admin.lib.php, module base class, descriptors, User class. Not Dolibarr code. */

const banner = (what: string) => `<?php\n// mokodeploy fixture release: ${what}. Not Dolibarr code; imitates its contract only.\n`;

export function adminLibPhp(): string {
  return `${banner('htdocs/core/lib/admin.lib.php')}
// contract: core/lib/admin.lib.php l.68-121 versioncompare(): level by level, missing = 0, alpha|dev=-5, beta=-4,
// betaN=-3, rc=-2, rcN=-1; returns -level, 0 or level
function versioncompare($a, $b)
{
	$words = array('/alpha|dev/i' => -5, '/beta$/i' => -4, '/beta([0-9])+/i' => -3, '/rc$/i' => -2, '/rc([0-9])+/i' => -1);
	$max = max(count($a), count($b));
	for ($level = 1; $level <= $max; $level++) {
		$x = isset($a[$level - 1]) ? $a[$level - 1] : 0;
		$y = isset($b[$level - 1]) ? $b[$level - 1] : 0;
		foreach ($words as $re => $n) {
			if (preg_match($re, (string) $x)) {
				$x = $n;
			}
			if (preg_match($re, (string) $y)) {
				$y = $n;
			}
		}
		if ((int) $x < (int) $y) {
			return -$level;
		}
		if ((int) $x > (int) $y) {
			return $level;
		}
	}
	return 0;
}
function versionphparray()
{
	return explode('.', PHP_VERSION);
}
function versiondolibarrarray()
{
	return explode('.', DOL_VERSION);
}
// contract: admin.lib.php l.656 dolibarr_set_const($db, $name, $value, $type, $visible, $note, $entity): DELETE then INSERT
function dolibarr_set_const($db, $name, $value, $type = 'chaine', $visible = 0, $note = '', $entity = 1)
{
	global $conf;
	$name = trim($name);
	if ($name === '') {
		return -1;
	}
	$db->query("DELETE FROM ".MAIN_DB_PREFIX."const WHERE name = ".$db->encrypt($name)." AND entity = ".((int) $entity));
	$ok = $db->query("INSERT INTO ".MAIN_DB_PREFIX."const(name, value, type, visible, note, entity) VALUES (".$db->encrypt($name).", ".$db->encrypt($value).", '".$db->escape($type)."', ".((int) $visible).", '".$db->escape($note)."', ".((int) $entity).")");
	if (!$ok) {
		return -1;
	}
	$conf->global->$name = $value;
	return 1;
}
function dolibarr_del_const($db, $name, $entity = 1)
{
	return $db->query("DELETE FROM ".MAIN_DB_PREFIX."const WHERE name = ".$db->encrypt($name)." AND entity = ".((int) $entity)) ? 1 : -1;
}
// contract: core/lib/functions2.lib.php dolGetModulesDirs(): core/modules/ plus every <document_root_alt>/*/core/modules/
function dolGetModulesDirs()
{
	$dirs = array(DOL_DOCUMENT_ROOT.'/core/modules/');
	foreach (glob(DOL_DOCUMENT_ROOT.'/custom/*/core/modules/', GLOB_ONLYDIR) as $dir) {
		$dirs[] = $dir;
	}
	return $dirs;
}
// contract: admin.lib.php l.1125-1260 activateModule($value, $withdeps): include the descriptor, check phpmin and
// need_dolibarr_version with versioncompare(), skip when its const is set, init(), then enable depends
function activateModule($value, $withdeps = 1)
{
	global $db;
	$ret = array('nbmodules' => 0, 'nbperms' => 0, 'errors' => array());
	$found = false;
	foreach (dolGetModulesDirs() as $dir) {
		if (file_exists($dir.$value.'.class.php')) {
			$found = include_once $dir.$value.'.class.php';
			break;
		}
	}
	if (!$found || !class_exists($value)) {
		$ret['errors'][] = 'ErrorModuleNotFound '.$value;
		return $ret;
	}
	$mod = new $value($db);
	if (is_array($mod->phpmin) && versioncompare(versionphparray(), $mod->phpmin) < 0) {
		$ret['errors'][] = 'ErrorModuleRequirePHPVersion '.implode('.', $mod->phpmin);
		return $ret;
	}
	if (is_array($mod->need_dolibarr_version) && versioncompare(versiondolibarrarray(), $mod->need_dolibarr_version) < 0) {
		$ret['errors'][] = 'ErrorModuleRequireDolibarrVersion '.implode('.', $mod->need_dolibarr_version);
		return $ret;
	}
	if (getDolGlobalString($mod->const_name)) {
		return $ret;
	}
	if ($mod->init() <= 0) {
		$ret['errors'][] = $mod->error;
		return $ret;
	}
	if ($withdeps) {
		foreach ($mod->depends as $dep) {
			$sub = activateModule($dep);
			$ret['errors'] = array_merge($ret['errors'], $sub['errors']);
		}
	}
	$ret['nbmodules']++;
	$ret['nbperms'] += count($mod->rights);
	return $ret;
}
function activateModulesRequiredByCountry($country_code)
{
	return 0;
}
`;
}

export function dolibarrModulesClassPhp(): string {
  return `${banner('htdocs/core/modules/DolibarrModules.class.php')}
// contract: core/modules/DolibarrModules.class.php: init() -> _init() -> _active() (DELETE+INSERT MAIN_MODULE_<NAME>),
// rights into llx_rights_def ([0] id, [1] label, [4] perms, [5] subperms)
class DolibarrModules
{
	public $db;
	public $numero = 0;
	public $name;
	public $const_name;
	public $version = 'dolibarr';
	public $rights = array();
	public $rights_class;
	public $depends = array();
	public $phpmin = array(7, 1);
	public $need_dolibarr_version = null;
	public $enabled_bydefault = false;
	public $error = '';

	// contract: DolibarrModules::__construct() (l.415, 19.0.4) only keeps $db: each descriptor sets name, const_name, rights_class
	public function __construct($db)
	{
		$this->db = $db;
	}
	public $core_enabled = 0;
	public function init($options = '')
	{
		global $conf;
		// contract: _active() l.1076 (20.0.2): the current entity, or 0 for an always/core-enabled module (issue 18)
		$entity = !empty($this->core_enabled) ? 0 : (int) $conf->entity;
		if (empty($this->const_name)) {
			$this->error = 'ErrorModuleWithoutConstName';
			return 0;
		}
		if (dolibarr_set_const($this->db, $this->const_name, '1', 'chaine', 0, '', $entity) < 0) {
			$this->error = $this->db->lasterror();
			return 0;
		}
		foreach ($this->rights as $r) {
			$this->db->query("DELETE FROM ".MAIN_DB_PREFIX."rights_def WHERE id = ".((int) $r[0]));
			$this->db->query("INSERT INTO ".MAIN_DB_PREFIX."rights_def(id, libelle, module, perms, subperms, entity) VALUES (".((int) $r[0]).", '".$this->db->escape($r[1])."', '".$this->db->escape($this->rights_class)."', '".$this->db->escape($r[4])."', '".$this->db->escape($r[5] ?? '')."', 0)");
			// contract: insert_permissions(1) from _init() (l.478, l.1990-2010, 20.0.2): each new right is given to
			// every admin user (addrights($r_id, '', '', 0, 1)), so an admin holds the rights of modules enabled later
			$admins = class_exists('User') ? $this->db->query("SELECT rowid FROM ".MAIN_DB_PREFIX."user WHERE admin = 1") : false;
			while ($admins && ($a = $this->db->fetch_object($admins))) {
				$tmpuser = new User($this->db);
				if ($tmpuser->fetch((int) $a->rowid) > 0) {
					$tmpuser->addrights((int) $r[0], '', '', 0, 1);
				}
			}
		}
		return 1;
	}
}
`;
}

/** A core module descriptor: class name, number, rights as [id, label, perms]. */
export function coreModulePhp(className: string, numero: number, rights: [number, string, string, string?][], enabledByDefault = false): string {
  const rightsPhp = rights.map(([id, label, perms, sub]) => `array(${id}, '${label}', 'r', 0, '${perms}'${sub ? `, '${sub}'` : ''})`).join(', ');
  return `${banner(`htdocs/core/modules/${className}.class.php`)}
include_once DOL_DOCUMENT_ROOT.'/core/modules/DolibarrModules.class.php';
// contract: core/modules/${className}.class.php: descriptor with numero, rights, enabled_bydefault
class ${className} extends DolibarrModules
{
	public function __construct($db)
	{
		parent::__construct($db);
		$this->name = preg_replace('/^mod/i', '', get_class($this));
		$this->const_name = 'MAIN_MODULE_'.strtoupper($this->name);
		$this->rights_class = strtolower($this->name);
		$this->numero = ${numero};
		$this->version = 'dolibarr';
		$this->enabled_bydefault = ${enabledByDefault ? 'true' : 'false'};
		$this->rights = array(${rightsPhp});
	}
}
`;
}

export function userClassPhp(): string {
  return `${banner('htdocs/user/class/user.class.php')}
// contract: user/class/user.class.php fetch() l.450, addrights() l.927, create() l.1632, setPassword() l.2393 (20.0.2):
// passwords stored with password_hash() in pass_crypted (MAIN_SECURITY_HASH_ALGO=password_hash)
class User
{
	public $db;
	public $id = 0;
	public $login;
	public $lastname;
	public $firstname = '';
	public $email = '';
	public $admin = 0;
	public $entity = 1;
	public $pass_indatabase_crypted;
	public $api_key;
	public $statut = 1;
	public $error = '';
	public $errors = array();
	public $rights;

	public function __construct($db)
	{
		$this->db = $db;
		$this->rights = new stdClass();
	}
	public function fetch($id = 0, $login = '', $sid = '', $loadpersonalconf = 0, $entity = -1)
	{
		$where = $id ? "rowid = ".((int) $id) : "login = '".$this->db->escape($login)."'";
		// contract: fetch() l.450-480 (20.0.2, non-transverse mode): an entity given looks the user up in it or in 0
		if ($entity > 0) {
			$where .= " AND entity IN (0, ".((int) $entity).")";
		}
		$res = $this->db->query("SELECT rowid, login, lastname, firstname, email, admin, entity, pass_crypted, api_key, statut FROM ".MAIN_DB_PREFIX."user WHERE ".$where);
		$o = $res ? $this->db->fetch_object($res) : null;
		if (!$o) {
			return 0;
		}
		$this->id = (int) $o->rowid;
		$this->login = $o->login;
		$this->lastname = $o->lastname;
		$this->firstname = (string) $o->firstname;
		// contract: fetch() l.572 (20.0.2) loads api_key through dolDecrypt(); the fixture stores it as given
		$this->api_key = $o->api_key;
		$this->statut = (int) $o->statut;
		$this->admin = (int) $o->admin;
		$this->entity = (int) $o->entity;
		$this->pass_indatabase_crypted = $o->pass_crypted;
		return 1;
	}
	// contract: user/class/user.class.php l.2351-2378 (20.0.2), update_last_login_date(): called by main.inc.php
	// l.1264 on every successful login, so every real login writes llx_user
	public function update_last_login_date()
	{
		$ip = $this->db->escape((string) ($_SERVER['REMOTE_ADDR'] ?? ''));
		return $this->db->query("UPDATE ".MAIN_DB_PREFIX."user SET datepreviouslogin = datelastlogin, ippreviouslogin = iplastlogin, datelastlogin = NOW(), iplastlogin = '".$ip."', tms = tms WHERE rowid = ".((int) $this->id)) ? 1 : -1;
	}
	// contract: update() l.2111 (20.0.2): the user card's save, here only the REST API key (real 20.0.2 stores it
	// with dolEncrypt(); the fixture's api/index.php compares it as stored)
	public function update($user, $notrigger = 0)
	{
		$key = isset($this->api_key) ? (string) $this->api_key : '';
		if (!$this->db->query("UPDATE ".MAIN_DB_PREFIX."user SET api_key = ".($key === '' ? 'NULL' : "'".$this->db->escape($key)."'")." WHERE rowid = ".((int) $this->id))) {
			$this->error = $this->db->lasterror();
			return -1;
		}
		return 1;
	}
	public function getrights()
	{
		// contract: getrights() l.1463-1560 (20.0.2): rights->module->perms, or rights->module->perms->subperms
		$res = $this->db->query("SELECT DISTINCT d.module, d.perms, d.subperms FROM ".MAIN_DB_PREFIX."user_rights ur JOIN ".MAIN_DB_PREFIX."rights_def d ON d.id = ur.fk_id WHERE ur.fk_user = ".((int) $this->id));
		while ($res && ($o = $this->db->fetch_object($res))) {
			$module = $o->module;
			if (!isset($this->rights->$module)) {
				$this->rights->$module = new stdClass();
			}
			$perm = $o->perms;
			$sub = (string) $o->subperms;
			if ($sub === '') {
				$this->rights->$module->$perm = 1;
			} else {
				if (!isset($this->rights->$module->$perm) || !is_object($this->rights->$module->$perm)) {
					$this->rights->$module->$perm = new stdClass();
				}
				$this->rights->$module->$perm->$sub = 1;
			}
		}
	}
	public function create($user, $notrigger = 0)
	{
		$ok = $this->db->query("INSERT INTO ".MAIN_DB_PREFIX."user(login, entity, admin, lastname, firstname, email, statut, datec) VALUES ('".$this->db->escape($this->login)."', ".((int) $this->entity).", ".((int) $this->admin).", '".$this->db->escape($this->lastname)."', '".$this->db->escape($this->firstname)."', '".$this->db->escape($this->email)."', 1, NOW())");
		if (!$ok) {
			$this->error = $this->db->lasterror();
			return -1;
		}
		$this->id = (int) $this->db->last_insert_id();
		return $this->id;
	}
	public function setPassword($user, $password = '', $changelater = 0, $notrigger = 0)
	{
		$hash = password_hash($password, PASSWORD_DEFAULT);
		if (!$this->db->query("UPDATE ".MAIN_DB_PREFIX."user SET pass_crypted = '".$this->db->escape($hash)."', pass = NULL WHERE rowid = ".((int) $this->id))) {
			$this->error = $this->db->lasterror();
			return -1;
		}
		return $password;
	}
	public function addrights($rid, $allmodule = '', $allperms = '', $entity = 0, $notrigger = 0)
	{
		$where = $rid ? "id = ".((int) $rid) : "module = '".$this->db->escape($allmodule)."'".($allperms ? " AND perms = '".$this->db->escape($allperms)."'" : '');
		if ($rid) {
			// contract: addrights() l.964-975 (20.0.2): with a sub-permission comes module.perms.lire/read, with a
			// permission module.lire/read
			$res = $this->db->query("SELECT module, perms, subperms FROM ".MAIN_DB_PREFIX."rights_def WHERE id = ".((int) $rid));
			$d = $res ? $this->db->fetch_object($res) : null;
			if ($d && (string) $d->subperms !== '') {
				$where = "(".$where." OR (module = '".$this->db->escape($d->module)."' AND perms = '".$this->db->escape($d->perms)."' AND subperms IN ('lire', 'read')))";
			} elseif ($d && (string) $d->perms !== '') {
				$where = "(".$where." OR (module = '".$this->db->escape($d->module)."' AND perms IN ('lire', 'read') AND (subperms IS NULL OR subperms = '')))";
			}
		}
		$res = $this->db->query("SELECT id FROM ".MAIN_DB_PREFIX."rights_def WHERE ".$where);
		$n = 0;
		while ($res && ($o = $this->db->fetch_object($res))) {
			$this->db->query("DELETE FROM ".MAIN_DB_PREFIX."user_rights WHERE fk_user = ".((int) $this->id)." AND fk_id = ".((int) $o->id));
			// contract: addrights() l.931 (20.0.2): the right is granted in the current entity (issue 18)
			$this->db->query("INSERT INTO ".MAIN_DB_PREFIX."user_rights(entity, fk_user, fk_id) VALUES (".((int) $GLOBALS['conf']->entity).", ".((int) $this->id).", ".((int) $o->id).")");
			$n++;
		}
		if ($n === 0) {
			$this->error = 'ErrorRightNotFound '.$allmodule.'.'.$allperms;
			return -1;
		}
		return 1;
	}
	// contract: delrights() l.1070-1160 (20.0.2): the right, and with a read right what depends on it (module.perms.lire
	// takes module.perms.*, module.lire takes the whole module), in the entity given (default the current one)
	public function delrights($rid, $allmodule = '', $allperms = '', $entity = 0, $notrigger = 0)
	{
		$entity = empty($entity) ? (int) $GLOBALS['conf']->entity : (int) $entity;
		$res = $this->db->query("SELECT module, perms, subperms FROM ".MAIN_DB_PREFIX."rights_def WHERE id = ".((int) $rid));
		$d = $res ? $this->db->fetch_object($res) : null;
		$where = "id = ".((int) $rid);
		if ($d && in_array((string) $d->subperms, array('lire', 'read'), true)) {
			$where .= " OR (module = '".$this->db->escape($d->module)."' AND perms = '".$this->db->escape($d->perms)."' AND subperms IS NOT NULL)";
		}
		if ($d && in_array((string) $d->perms, array('lire', 'read'), true)) {
			$where .= " OR (module = '".$this->db->escape($d->module)."')";
		}
		$ok = $this->db->query("DELETE FROM ".MAIN_DB_PREFIX."user_rights WHERE fk_user = ".((int) $this->id)." AND entity = ".$entity." AND fk_id IN (SELECT id FROM ".MAIN_DB_PREFIX."rights_def WHERE ".$where.")");
		if (!$ok) {
			$this->error = $this->db->lasterror();
			return -1;
		}
		return 1;
	}
	// contract: hasRight() l.790-905 (20.0.2): 0 when the module is off, else rights->module->perms[->subperms]
	// as getrights() loaded them (lire/read alike); no exception for admins (they hold rights by insert_permissions)
	public function hasRight($module, $permlevel1, $permlevel2 = '')
	{
		$rightsPath = $module === 'product' ? 'produit' : $module;
		if (!isModEnabled($module === 'produit' ? 'product' : $module)) {
			return 0;
		}
		if (empty($this->rights->$rightsPath)) {
			return 0;
		}
		$r = $this->rights->$rightsPath;
		if ($permlevel2 !== '') {
			$p = isset($r->$permlevel1) ? $r->$permlevel1 : null;
			return is_object($p) && (!empty($p->$permlevel2) || ($permlevel2 === 'read' && !empty($p->lire))) ? 1 : 0;
		}
		return !empty($r->$permlevel1) && !is_object($r->$permlevel1) ? 1 : ($permlevel1 === 'read' && !empty($r->lire) ? 1 : 0);
	}
}
`;
}
