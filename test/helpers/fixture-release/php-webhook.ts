/**
 * Fixture release: Dolibarr's Webhook module and what its trigger needs (issue 17, outgoing webhooks). Not Dolibarr
 * code; each file imitates only the contract mokodeploy relies on, citing the 20.0.2 source (19.0.4 where it differs).
 */
import { coreModulePhp } from './php-modules.js';

const banner = (what: string) =>
  `<?php\n// mokodeploy fixture release: ${what}. Not Dolibarr code; imitates its contract only.\n`;

/** core/modules/modWebhook.class.php: numero 68305, triggers, init() loads its table (l.291-305). */
function modWebhookPhp(): string {
  const base = coreModulePhp('modWebhook', 68305, [
    [68305 * 100 + 1, 'Read webhooks', 'webhook_target'],
  ]).replace(/^<\?php\n\/\/[^\n]*\n/, '');
  return `${banner('htdocs/core/modules/modWebhook.class.php')}${base.replace(
    /\n}\n$/,
    `
	// contract: modWebhook::init() l.291-305: _load_tables('/install/mysql/tables/', 'webhook') runs
	// llx_*-webhook.sql then llx_*-webhook.key.sql (DolibarrModules::_load_tables() l.1155, "already exists" tolerated),
	// then _init() (MAIN_MODULE_WEBHOOK, rights); module_parts 'triggers' => 1 (l.86)
	public function init($options = '')
	{
		$dir = DOL_DOCUMENT_ROOT.'/install/mysql/tables/';
		$files = array_merge(glob($dir.'llx_*-webhook.sql'), glob($dir.'llx_*-webhook.key.sql'));
		foreach ($files as $file) {
			$sql = str_replace('llx_', MAIN_DB_PREFIX, preg_replace('/^--.*$/m', '', file_get_contents($file)));
			foreach (array_filter(array_map('trim', explode(";\\n", $sql.";\\n"))) as $statement) {
				if (!$this->db->query(rtrim($statement, ';')) && !in_array($this->db->errno(), array(1050, 1061, 1826, 1022), true)) {
					$this->error = basename($file).': '.$this->db->lasterror();
					return 0;
				}
			}
		}
		return parent::init($options);
	}
}
`,
  )}`;
}

/** install/mysql/tables/llx_webhook_target-webhook.sql and its key file (same columns; 19.0.4 and 20.0.2 alike). */
const targetTableSql = `create table llx_webhook_target(
	rowid integer AUTO_INCREMENT PRIMARY KEY NOT NULL,
	ref varchar(128) NOT NULL,
	label varchar(255),
	description text,
	note_public text,
	note_private text,
	date_creation datetime NOT NULL,
	tms timestamp DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
	fk_user_creat integer NOT NULL,
	fk_user_modif integer,
	import_key varchar(14),
	status integer DEFAULT 0 NOT NULL,
	url varchar(255) NOT NULL,
	connection_method varchar(255) NULL,
	connection_data varchar(255) NULL,
	trigger_codes text NULL
) ENGINE=innodb;
`;
const targetKeySql = `ALTER TABLE llx_webhook_target ADD INDEX idx_webhook_target_rowid (rowid);
ALTER TABLE llx_webhook_target ADD INDEX idx_webhook_target_ref (ref);
ALTER TABLE llx_webhook_target ADD CONSTRAINT llx_webhook_target_fk_user_creat FOREIGN KEY (fk_user_creat) REFERENCES llx_user(rowid);
ALTER TABLE llx_webhook_target ADD INDEX idx_webhook_target_status (status);
`;

/** webhook/class/target.class.php: the CommonObject methods the module's pages and trigger use. */
function targetClassPhp(): string {
  return `${banner('htdocs/webhook/class/target.class.php')}
// contract: class Target (20.0.2): table webhook_target, STATUS_DRAFT 0 / VALIDATED 1 / CANCELED 9 (l.58-60);
// create() l.243 (createCommon: date_creation now, fk_user_creat the user; the ref as given), fetch($id, $ref) l.360
// (empty ref read as the id), fetchAll() l.396 (every row, keyed by id), update() l.458 strips blanks from
// trigger_codes, delete() l.473; ->error / ->errors on failure
class Target
{
	const STATUS_DRAFT = 0;
	const STATUS_VALIDATED = 1;
	const STATUS_CANCELED = 9;
	public $db;
	public $id;
	public $ref;
	public $label;
	public $description;
	public $url;
	public $trigger_codes;
	public $status = 1;
	public $date_creation;
	public $fk_user_creat;
	public $error = '';
	public $errors = array();

	public function __construct($db)
	{
		$this->db = $db;
	}
	private function row($o)
	{
		$t = new self($this->db);
		foreach (array('ref', 'label', 'description', 'url', 'trigger_codes', 'date_creation', 'fk_user_creat') as $k) {
			$t->$k = $o->$k;
		}
		$t->id = (int) $o->rowid;
		$t->status = (int) $o->status;
		return $t;
	}
	public function fetch($id, $ref = null)
	{
		$where = $id ? 'rowid = '.((int) $id) : "ref = '".$this->db->escape((string) $ref)."'";
		$res = $this->db->query('SELECT * FROM '.MAIN_DB_PREFIX.'webhook_target WHERE '.$where);
		$o = $res ? $this->db->fetch_object($res) : null;
		if (!$o) {
			return 0;
		}
		foreach (get_object_vars($this->row($o)) as $k => $v) {
			if ($k !== 'db') {
				$this->$k = $v;
			}
		}
		if (empty($this->ref)) {
			$this->ref = (string) $this->id;
		}
		return 1;
	}
	public function fetchAll($sortorder = '', $sortfield = '', $limit = 0, $offset = 0, $filter = '', $filtermode = 'AND')
	{
		$res = $this->db->query('SELECT * FROM '.MAIN_DB_PREFIX.'webhook_target');
		if (!$res) {
			$this->errors[] = 'Error '.$this->db->lasterror();
			return -1;
		}
		$records = array();
		while ($o = $this->db->fetch_object($res)) {
			$records[(int) $o->rowid] = $this->row($o);
		}
		return $records;
	}
	private function quoted($v)
	{
		return $v === null ? 'NULL' : "'".$this->db->escape((string) $v)."'";
	}
	public function create($user, $notrigger = 0)
	{
		$ok = $this->db->query('INSERT INTO '.MAIN_DB_PREFIX.'webhook_target (ref, label, description, url, trigger_codes, status, date_creation, fk_user_creat) VALUES ('.$this->quoted($this->ref).', '.$this->quoted($this->label).', '.$this->quoted($this->description).', '.$this->quoted($this->url).', '.$this->quoted($this->trigger_codes).', '.((int) $this->status).', NOW(), '.((int) $user->id).')');
		if (!$ok) {
			$this->error = $this->db->lasterror();
			return -1;
		}
		$this->id = (int) $this->db->last_insert_id(MAIN_DB_PREFIX.'webhook_target');
		return $this->id;
	}
	public function update($user, $notrigger = 0)
	{
		$this->trigger_codes = preg_replace('/[\\r\\n\\s]/', '', (string) $this->trigger_codes);
		$ok = $this->db->query('UPDATE '.MAIN_DB_PREFIX.'webhook_target SET ref = '.$this->quoted($this->ref).', label = '.$this->quoted($this->label).', url = '.$this->quoted($this->url).', trigger_codes = '.$this->quoted($this->trigger_codes).', status = '.((int) $this->status).', fk_user_modif = '.((int) $user->id).' WHERE rowid = '.((int) $this->id));
		if (!$ok) {
			$this->error = $this->db->lasterror();
			return -1;
		}
		return 1;
	}
	public function delete($user, $notrigger = 0)
	{
		if (!$this->db->query('DELETE FROM '.MAIN_DB_PREFIX.'webhook_target WHERE rowid = '.((int) $this->id))) {
			$this->error = $this->db->lasterror();
			return -1;
		}
		return 1;
	}
}
`;
}

/** core/triggers/interface_95_modWebhook_WebhookTriggers.class.php (20.0.2; 19.0.4 ignores status). */
function webhookTriggerPhp(): string {
  return `${banner('htdocs/core/triggers/interface_95_modWebhook_WebhookTriggers.class.php')}
require_once DOL_DOCUMENT_ROOT.'/webhook/class/target.class.php';
// contract: InterfaceWebhookTriggers::runTrigger() l.67-127 (20.0.2): module off -> 0; for each target whose
// trigger_codes (comma-separated) list the action and whose status is VALIDATED (19.0.4 l.105 does not look at the
// status), POST {"triggercode": action, "object": dol_clone($object, 2) without fields/error/errors} as
// "Content-Type: application/json" with getURLContent($url, 'POST', $json, 1, $headers, array('http', 'https'), 2, -1)
// ('POSTALREADYFORMATED' when WEBHOOK_POST_SEND_DATA_IN_BODY); a non-2xx answer or a curl error is an error:
// "The WebHook for <action> failed to get URL <url> with httpcode=<code> curl_error_no=<n>"; returns -errors or the posts
class InterfaceWebhookTriggers
{
	public $db;
	public $errors = array();

	public function __construct($db)
	{
		$this->db = $db;
	}
	public function runTrigger($action, $object, $user, $langs, $conf)
	{
		// the real one tests $conf->webhook->enabled, which conf.class.php sets from MAIN_MODULE_WEBHOOK
		if (!isModEnabled('webhook')) {
			return 0;
		}
		require_once DOL_DOCUMENT_ROOT.'/core/lib/geturl.lib.php';
		$nbPosts = 0;
		$errors = 0;
		$static = new Target($this->db);
		$targets = $static->fetchAll();
		foreach (is_array($targets) ? $targets : array() as $t) {
			$codes = explode(',', (string) $t->trigger_codes);
			if ($t->status == Target::STATUS_VALIDATED && in_array($action, $codes)) {
				$res = new stdClass();
				$res->triggercode = $action;
				// contract: functions.lib.php dol_clone($object, 2) l.1504-1515: the public scalar or array properties
				$res->object = new stdClass();
				foreach (get_object_vars($object) as $k => $v) {
					if ((is_scalar($v) || is_array($v)) && !in_array($k, array('fields', 'error', 'errors'), true)) {
						$res->object->$k = $v;
					}
				}
				$method = getDolGlobalString('WEBHOOK_POST_SEND_DATA_IN_BODY') ? 'POSTALREADYFORMATED' : 'POST';
				$r = getURLContent($t->url, $method, json_encode($res), 1, array('Content-Type: application/json'), array('http', 'https'), 2, -1);
				if (empty($r['curl_error_no']) && $r['http_code'] >= 200 && $r['http_code'] < 300) {
					$nbPosts++;
				} else {
					$errors++;
					$this->errors[] = "The WebHook for ".$action." failed to get URL ".$t->url." with httpcode=".(!empty($r['http_code']) ? $r['http_code'] : "")." curl_error_no=".(!empty($r['curl_error_no']) ? $r['curl_error_no'] : "");
				}
			}
		}
		return $errors ? -$errors : $nbPosts;
	}
}
`;
}

/** core/class/interfaces.class.php: run_triggers() over core/triggers/. */
function interfacesClassPhp(): string {
  return `${banner('htdocs/core/class/interfaces.class.php')}
// contract: Interfaces::run_triggers($action, $object, $user, $langs, $conf) l.72-235 (20.0.2): every
// core/triggers/interface_<n>_<mod|all>_<Name>.class.php, in file-name order, skipped when its module (mod<Name> ->
// isModEnabled(name)) is off (l.134-141); class Interface<Name>, runTrigger(); a result < 0 counts as ko and its
// ->errors are appended to ->errors; returns -ko when any failed, else the number that ran OK
class Interfaces
{
	public $db;
	public $errors = array();

	public function __construct($db)
	{
		$this->db = $db;
	}
	public function run_triggers($action, $object, $user, $langs, $conf)
	{
		$nbok = 0;
		$nbko = 0;
		$files = glob(DOL_DOCUMENT_ROOT.'/core/triggers/interface_*.class.php');
		sort($files);
		foreach ($files as $file) {
			if (!preg_match('/^interface_([0-9]+)_([^_]+)_(.+)\\.class\\.php$/i', basename($file), $reg)) {
				continue;
			}
			if (strtolower($reg[2]) != 'all' && !isModEnabled(strtolower(preg_replace('/^mod/i', '', $reg[2])))) {
				continue;
			}
			include_once $file;
			$class = 'Interface'.ucfirst($reg[3]);
			$trigger = new $class($this->db);
			$result = $trigger->runTrigger($action, $object, $user, $langs, $conf);
			if ($result < 0) {
				$nbko++;
				$this->errors = array_merge($this->errors, $trigger->errors);
			} elseif ($result > 0) {
				$nbok++;
			}
		}
		return $nbko ? -$nbko : $nbok;
	}
}
`;
}

/** core/lib/geturl.lib.php: getURLContent() with curl, the local-URL rule. */
function geturlLibPhp(): string {
  return `${banner('htdocs/core/lib/geturl.lib.php')}
// contract: getURLContent($url, $postorget, $param, $followlocation, $addheaders, $allowedschemes, $localurl,
// $ssl_verifypeer) l.42-330 (20.0.2): curl with the headers given; 'POST' sends $param as the body (CURLOPT_POSTFIELDS);
// only the allowed schemes; $localurl 0 refuses a host resolving to a local address with http_code 400 and an
// "Error ..." content, 2 allows both; returns array(http_code, content, curl_error_no, curl_error_msg)
function getURLContent($url, $postorget = 'GET', $param = '', $followlocation = 1, $addheaders = array(), $allowedschemes = array('http', 'https'), $localurl = 0, $ssl_verifypeer = -1)
{
	$scheme = strtolower((string) parse_url($url, PHP_URL_SCHEME));
	if (!in_array($scheme, $allowedschemes, true)) {
		return array('http_code' => 400, 'content' => 'Error scheme not allowed', 'curl_error_no' => '', 'curl_error_msg' => '');
	}
	$ip = gethostbyname((string) parse_url($url, PHP_URL_HOST));
	if ($localurl == 0 && filter_var($ip, FILTER_VALIDATE_IP, FILTER_FLAG_NO_PRIV_RANGE | FILTER_FLAG_NO_RES_RANGE) === false) {
		return array('http_code' => 400, 'content' => 'Error bad hostname IP (private or reserved range). Must be an external URL.', 'curl_error_no' => '', 'curl_error_msg' => '');
	}
	$ch = curl_init($url);
	curl_setopt($ch, CURLOPT_USERAGENT, 'Dolibarr geturl function');
	curl_setopt($ch, CURLOPT_RETURNTRANSFER, 1);
	curl_setopt($ch, CURLOPT_CONNECTTIMEOUT, getDolGlobalInt('MAIN_USE_CONNECT_TIMEOUT', 5));
	curl_setopt($ch, CURLOPT_TIMEOUT, getDolGlobalInt('MAIN_USE_RESPONSE_TIMEOUT', 30));
	if ($addheaders) {
		curl_setopt($ch, CURLOPT_HTTPHEADER, $addheaders);
	}
	if ($postorget == 'POST') {
		curl_setopt($ch, CURLOPT_POST, 1);
		curl_setopt($ch, CURLOPT_POSTFIELDS, $param);
	} elseif ($postorget == 'POSTALREADYFORMATED') {
		curl_setopt($ch, CURLOPT_CUSTOMREQUEST, 'POST');
		curl_setopt($ch, CURLOPT_POSTFIELDS, $param);
	}
	$content = curl_exec($ch);
	$r = array('http_code' => (int) curl_getinfo($ch, CURLINFO_HTTP_CODE), 'content' => $content === false ? '' : $content, 'curl_error_no' => curl_errno($ch), 'curl_error_msg' => curl_error($ch));
	curl_close($ch);
	return $r;
}
`;
}

/** llx_c_action_trigger: the dictionary of trigger codes (install/mysql/tables and data, a few of its 157 rows). */
const actionTriggerTableSql = `create table llx_c_action_trigger
(
  rowid integer AUTO_INCREMENT PRIMARY KEY,
  elementtype varchar(64) NOT NULL,
  code varchar(128) NOT NULL,
  label varchar(128) NOT NULL,
  description varchar(255),
  rang integer DEFAULT 0
) ENGINE=innodb;
`;
const actionTriggerDataSql = `-- contract: install/mysql/data/llx_c_action_trigger.sql (20.0.2): a few of its rows
insert into llx_c_action_trigger (code,label,description,elementtype,rang) values ('COMPANY_CREATE','Third party created','Executed when a third party is created','societe',1);
insert into llx_c_action_trigger (code,label,description,elementtype,rang) values ('COMPANY_MODIFY','Third party update','Executed when you update third party','societe',1);
insert into llx_c_action_trigger (code,label,description,elementtype,rang) values ('COMPANY_DELETE','Third party deleted','Executed when you delete third party','societe',1);
insert into llx_c_action_trigger (code,label,description,elementtype,rang) values ('BILL_VALIDATE','Customer invoice validated','Executed when a customer invoice is approved','facture',6);
insert into llx_c_action_trigger (code,label,description,elementtype,rang) values ('ORDER_VALIDATE','Customer order validate','Executed when a customer order is validated','commande',4);
insert into llx_c_action_trigger (code,label,description,elementtype,rang) values ('PROPAL_VALIDATE','Customer proposal validated','Executed when a commercial proposal is validated','propal',2);
`;

export function webhookFiles(): Record<string, string> {
  return {
    'htdocs/core/modules/modWebhook.class.php': modWebhookPhp(),
    'htdocs/install/mysql/tables/llx_webhook_target-webhook.sql': targetTableSql,
    'htdocs/install/mysql/tables/llx_webhook_target-webhook.key.sql': targetKeySql,
    'htdocs/webhook/class/target.class.php': targetClassPhp(),
    'htdocs/core/triggers/interface_95_modWebhook_WebhookTriggers.class.php': webhookTriggerPhp(),
    'htdocs/core/class/interfaces.class.php': interfacesClassPhp(),
    'htdocs/core/lib/geturl.lib.php': geturlLibPhp(),
    'htdocs/install/mysql/tables/llx_c_action_trigger.sql': actionTriggerTableSql,
    'htdocs/install/mysql/data/llx_c_action_trigger.sql': actionTriggerDataSql,
  };
}
