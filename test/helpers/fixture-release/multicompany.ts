import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A stand-in for the GPL multicompany module (inodbox, 18.0.7 as archived from omegjunior/dolideo, see
 * docs/DOLIBARR-NOTES.md "Multi-entity"), imitating only what the entity steps rely on, written fresh (no module
 * code): the descriptor that creates llx_entity with the master entity 1, DaoMulticompany::create(), fetch() and
 * update(), and the entity login, switching and getEntity() of ActionsMulticompany.
 */
const banner = (file: string) =>
  `<?php\n// mokodeploy fixture: imitates multicompany/${file} (module 18.0.7). Not the module's code; its contract only.\n`;

// contract: core/modules/modMultiCompany.class.php: numero 5000, version l.75, need_dolibarr_version l.171,
// core_enabled (MAIN_MODULE_MULTICOMPANY at entity 0, DolibarrModules l.1076); init() loads sql/llx_entity.sql and
// setFirstEntity() inserts rowid 1 "MasterEntity"
const descriptor = `${banner('core/modules/modMultiCompany.class.php')}
include_once DOL_DOCUMENT_ROOT.'/core/modules/DolibarrModules.class.php';
class modMultiCompany extends DolibarrModules
{
	public function __construct($db)
	{
		parent::__construct($db);
		$this->numero = 5000;
		$this->rights_class = 'multicompany';
		$this->name = preg_replace('/^mod/i', '', get_class($this));
		$this->const_name = 'MAIN_MODULE_'.strtoupper($this->name);
		$this->core_enabled = 1;
		$this->version = '18.0.7';
		$this->phpmin = array(7, 4);
		$this->need_dolibarr_version = array(18, 0, 0);
		$this->rights = array();
	}
	public function init($options = '')
	{
		$this->db->query("CREATE TABLE IF NOT EXISTS ".MAIN_DB_PREFIX."entity (rowid integer AUTO_INCREMENT PRIMARY KEY, label varchar(255) NOT NULL, description text, datec datetime, fk_user_creat integer, options text, visible tinyint DEFAULT 1 NOT NULL, active tinyint DEFAULT 1 NOT NULL, rang smallint DEFAULT 0 NOT NULL) ENGINE=innodb");
		$this->db->query("INSERT IGNORE INTO ".MAIN_DB_PREFIX."entity (rowid, label, description, datec) VALUES (1, 'Master entity', 'Master entity', NOW())");
		return parent::init($options);
	}
}
`;

// contract: class/dao_multicompany.class.php create(User $user) l.180-256: one INSERT (label, description, datec,
// fk_user_creat, options JSON, visible, active), returns the new rowid or -1 with $this->error; fetch($id) l.116-170
// (rowid, label, description, options JSON, visible, active; -2 when there is no such row); update($id, $user)
// l.258-321: one UPDATE of label, description and options (JSON) by rowid, 1 or -1 with $this->error
const dao = `${banner('class/dao_multicompany.class.php')}
class DaoMulticompany
{
	public $db;
	public $id;
	public $label;
	public $description;
	public $options = array();
	public $visible;
	public $active;
	public $error = '';
	public $errors = array();
	public function __construct($db)
	{
		$this->db = $db;
	}
	public function create($user, $call_trigger = true)
	{
		$sql = "INSERT INTO ".MAIN_DB_PREFIX."entity (label, description, datec, fk_user_creat, options, visible, active) VALUES (";
		$sql .= "'".$this->db->escape(trim($this->label))."', '".$this->db->escape(trim((string) $this->description))."', NOW(), ".((int) $user->id);
		$sql .= ", '".$this->db->escape(json_encode($this->options))."', ".(empty($this->visible) ? 0 : 1).", ".(empty($this->active) ? 0 : 1).")";
		if (!$this->db->query($sql)) {
			$this->error = $this->db->lasterror();
			return -1;
		}
		$this->id = $this->db->last_insert_id(MAIN_DB_PREFIX."entity");
		return $this->id;
	}
	public function fetch($id)
	{
		$res = $this->db->query("SELECT rowid, label, description, options, visible, active FROM ".MAIN_DB_PREFIX."entity WHERE rowid = ".((int) $id));
		if (!$res) {
			$this->error = $this->db->lasterror();
			return -3;
		}
		$o = $this->db->fetch_object($res);
		if (!$o) {
			return -2;
		}
		$this->id = $o->rowid;
		$this->label = $o->label;
		$this->description = $o->description;
		$this->options = empty($o->options) ? array() : json_decode($o->options, true);
		$this->visible = $o->visible;
		$this->active = $o->active;
		return 1;
	}
	public function update($id, $user, $call_trigger = true)
	{
		$id = empty($id) ? $this->id : $id;
		$sql = "UPDATE ".MAIN_DB_PREFIX."entity SET label = '".$this->db->escape(trim($this->label))."', description = '".$this->db->escape(trim((string) $this->description))."'";
		$sql .= ", options = '".$this->db->escape(json_encode($this->options))."' WHERE rowid = ".((int) $id);
		if (!$this->db->query($sql)) {
			$this->error = $this->db->lasterror();
			return -1;
		}
		return 1;
	}
}
`;

// contract: class/actions_multicompany.class.php (18.0.7), the parts core calls (issue 18 isolation check):
// - getEntity() (non-transverse mode, no sharing enabled: MULTICOMPANY_SHARINGS_ENABLED off): the current entity, with
//   '0,' first for the elements core's functions.lib.php getEntity() adds entity 0 to (user, usergroup, ...)
// - getLoginPageOptions() l.5392-5440: the login form's <select name="entity"> of the active, visible entities
//   (llx_entity.active = 1 AND visible = 1), unless MULTICOMPANY_HIDE_LOGIN_COMBOBOX
// - switchEntity($id, $userid) l.4829-4859 through verifyRight() (dao_multicompany l.717-760): the entity must be
//   active, and the user a superadmin (admin with entity 0) or a user of that entity; then $_SESSION['dol_entity']
const actions = `${banner('class/actions_multicompany.class.php')}
class ActionsMulticompany
{
	public $db;
	public function __construct($db)
	{
		$this->db = $db;
	}
	public function getEntity($element = '', $shared = false, $currentobject = null)
	{
		global $conf;
		$addzero = array('user', 'usergroup', 'cronjob', 'c_email_templates', 'email_template', 'default_values', 'overwrite_trans');
		return (in_array($element, $addzero) ? '0,' : '').((int) $conf->entity);
	}
	public function getLoginPageOptions()
	{
		if (getDolGlobalString('MULTICOMPANY_HIDE_LOGIN_COMBOBOX')) {
			return '';
		}
		$res = $this->db->query("SELECT rowid, label FROM ".MAIN_DB_PREFIX."entity WHERE active = 1 AND visible = 1 ORDER BY rang, rowid");
		$out = '<select id="entity" name="entity" class="flat">';
		while ($res && ($o = $this->db->fetch_object($res))) {
			$out .= '<option value="'.((int) $o->rowid).'">'.dol_escape_htmltag($o->label).'</option>';
		}
		return $out.'</select>';
	}
	public function switchEntity($id, $user)
	{
		$res = $this->db->query("SELECT rowid FROM ".MAIN_DB_PREFIX."entity WHERE active = 1 AND rowid = ".((int) $id));
		if (!$res || !$this->db->fetch_object($res)) {
			return -1;
		}
		$superadmin = !empty($user->admin) && empty($user->entity);
		if (!$superadmin && (int) $user->entity !== (int) $id) {
			return -1;
		}
		$_SESSION['dol_entity'] = (int) $id;
		return 1;
	}
}
`;

// contract: lib/multicompany.lib.php l.187 getSqlInitFilePath($name): <module>/sql/init/llx_<name>.sql (absent in 18.0.7)
const lib = `${banner('lib/multicompany.lib.php')}
function getSqlInitFilePath($name)
{
	return dirname(__DIR__).'/sql/init/llx_'.basename($name).'.sql';
}
`;

/** The stand-in module as <parent>/multicompany.tgz (top directory multicompany/, like the archived module). */
export function packMulticompanyModule(parent: string): string {
  const root = join(parent, 'multicompany-src', 'multicompany');
  for (const d of ['core/modules', 'class', 'lib']) mkdirSync(join(root, d), { recursive: true });
  writeFileSync(join(root, 'core/modules/modMultiCompany.class.php'), descriptor);
  writeFileSync(join(root, 'class/dao_multicompany.class.php'), dao);
  writeFileSync(join(root, 'class/actions_multicompany.class.php'), actions);
  writeFileSync(join(root, 'lib/multicompany.lib.php'), lib);
  const tgz = join(parent, 'multicompany.tgz');
  execFileSync('tar', ['-czf', tgz, '-C', join(parent, 'multicompany-src'), 'multicompany']);
  return tgz;
}
