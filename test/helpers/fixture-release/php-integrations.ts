/**
 * Fixture release, integrations (issue 17): the email collector and the payment modules, imitating only what the
 * integration steps rely on. Not Dolibarr code. Contracts, read in dolibarr-20.0.2:
 * - install/mysql/tables/llx_emailcollector_emailcollector.sql, _emailcollectorfilter.sql, _emailcollectoraction.sql,
 *   llx_actioncomm.sql: the columns used (a subset).
 * - emailcollector/class/emailcollector.class.php: fetch($id, $ref) l.423, create() l.294, update() l.514,
 *   fetchFilters() l.712, fetchActions() l.744, doCollectOneCollector(0) l.1075: with MAIN_IMAP_USE_PHPIMAP the
 *   PHP-IMAP client connects with 'encryption' ssl|tls|notls and 'validate_cert' => true (l.1236-1245), searches the
 *   source folder (filters from/subject become FROM/SUBJECT criteria, l.1300-1330), and the recordevent operation
 *   adds an llx_actioncomm row with email_msgid unless one exists (l.2792-2870); then datelastresult, lastresult,
 *   codelastresult OK|KO and datelastok are saved (l.3654-3680). Errors of the connection go to ->error (l.1248).
 * - emailcollectorfilter.class.php create() l.151 (value required unless a valueless type), fetch/delete;
 *   emailcollectoraction.class.php create() l.149, fetch/delete.
 * - core/modules/modEmailCollector.class.php, modStripe, modPaypal: descriptors enabled by activateModule().
 */
import { coreModulePhp } from './php-modules.js';

const banner = (what: string) =>
  `<?php\n// mokodeploy fixture release: ${what}. Not Dolibarr code; imitates its contract only.\n`;

const tables: Record<string, string> = {
  'llx_emailcollector_emailcollector.sql': `create table llx_emailcollector_emailcollector
(
  rowid integer AUTO_INCREMENT PRIMARY KEY NOT NULL,
  entity integer DEFAULT 1 NOT NULL,
  ref varchar(128) NOT NULL,
  label varchar(255),
  host varchar(255),
  port varchar(10) DEFAULT '993',
  hostcharset varchar(16) DEFAULT 'UTF-8',
  imap_encryption varchar(16) DEFAULT 'ssl',
  login varchar(128),
  acces_type integer DEFAULT 0,
  password varchar(128),
  source_directory varchar(255) DEFAULT 'Inbox' NOT NULL,
  target_directory varchar(255),
  maxemailpercollect integer DEFAULT 100,
  datelastresult datetime,
  codelastresult varchar(16),
  lastresult text,
  datelastok datetime,
  date_creation datetime NOT NULL,
  fk_user_creat integer NOT NULL,
  status integer NOT NULL
) ENGINE=innodb;`,
  'llx_emailcollector_emailcollectorfilter.sql': `create table llx_emailcollector_emailcollectorfilter
(
  rowid integer AUTO_INCREMENT PRIMARY KEY NOT NULL,
  fk_emailcollector integer NOT NULL,
  type varchar(128) NOT NULL,
  rulevalue varchar(128) NULL,
  status integer NOT NULL
) ENGINE=innodb;`,
  'llx_emailcollector_emailcollectoraction.sql': `create table llx_emailcollector_emailcollectoraction
(
  rowid integer AUTO_INCREMENT PRIMARY KEY NOT NULL,
  fk_emailcollector integer NOT NULL,
  type varchar(128) NOT NULL,
  actionparam text NULL,
  position integer NULL DEFAULT 0,
  status integer NOT NULL
) ENGINE=innodb;`,
  'llx_actioncomm.sql': `create table llx_actioncomm
(
  id integer AUTO_INCREMENT PRIMARY KEY,
  entity integer DEFAULT 1 NOT NULL,
  code varchar(50) NULL,
  label varchar(255) NOT NULL,
  note text,
  email_msgid varchar(255),
  email_from varchar(255),
  email_subject varchar(255),
  datec datetime,
  fk_user_author integer
) ENGINE=innodb;`,
};

function emailCollectorClassPhp(): string {
  return `${banner('htdocs/emailcollector/class/emailcollector.class.php')}
class EmailCollector
{
	public $db;
	public $id;
	public $ref;
	public $label;
	public $host;
	public $port;
	public $imap_encryption;
	public $hostcharset;
	public $acces_type;
	public $login;
	public $password;
	public $source_directory;
	public $target_directory;
	public $maxemailpercollect;
	public $status;
	public $codelastresult;
	public $lastresult;
	public $error = '';
	public $errors = array();
	public $filters = array();
	public $actions = array();
	private static $cols = array('ref', 'label', 'host', 'port', 'imap_encryption', 'hostcharset', 'acces_type', 'login', 'password', 'source_directory', 'target_directory', 'maxemailpercollect', 'status');
	public function __construct($db)
	{
		$this->db = $db;
	}
	public function fetch($id, $ref = null)
	{
		$where = $id > 0 ? 'rowid = '.((int) $id) : "ref = '".$this->db->escape($ref)."'";
		$res = $this->db->query('SELECT * FROM '.MAIN_DB_PREFIX.'emailcollector_emailcollector WHERE '.$where);
		$o = $res ? $this->db->fetch_object($res) : null;
		if (!$o) {
			return 0;
		}
		$this->id = (int) $o->rowid;
		foreach (self::$cols as $c) {
			$this->$c = $o->$c;
		}
		$this->codelastresult = $o->codelastresult;
		$this->lastresult = $o->lastresult;
		return 1;
	}
	private function values()
	{
		$v = array();
		foreach (self::$cols as $c) {
			$v[$c] = $this->$c === null ? 'NULL' : "'".$this->db->escape($this->$c)."'";
		}
		return $v;
	}
	public function create($user, $notrigger = 0)
	{
		if ($this->host && preg_match('/^http:/i', trim($this->host))) {
			$this->error = 'ErrorHostMustNotStartWithHttp';
			return -1;
		}
		$v = $this->values();
		$sql = 'INSERT INTO '.MAIN_DB_PREFIX.'emailcollector_emailcollector ('.implode(', ', array_keys($v)).', date_creation, fk_user_creat) VALUES ('.implode(', ', $v).', NOW(), '.((int) $user->id).')';
		if (!$this->db->query($sql)) {
			$this->error = $this->db->lasterror();
			return -1;
		}
		$this->id = (int) $this->db->last_insert_id(MAIN_DB_PREFIX.'emailcollector_emailcollector');
		return $this->id;
	}
	public function update($user, $notrigger = 0)
	{
		$set = array();
		foreach ($this->values() as $c => $v) {
			$set[] = $c.' = '.$v;
		}
		foreach (array('codelastresult', 'lastresult') as $c) {
			$set[] = $c.' = '.($this->$c === null ? 'NULL' : "'".$this->db->escape($this->$c)."'");
		}
		if (!$this->db->query('UPDATE '.MAIN_DB_PREFIX.'emailcollector_emailcollector SET '.implode(', ', $set).', datelastresult = NOW() WHERE rowid = '.((int) $this->id))) {
			$this->error = $this->db->lasterror();
			return -1;
		}
		return 1;
	}
	public function fetchFilters()
	{
		$this->filters = array();
		$res = $this->db->query('SELECT rowid, type, rulevalue, status FROM '.MAIN_DB_PREFIX.'emailcollector_emailcollectorfilter WHERE fk_emailcollector = '.((int) $this->id));
		while ($res && ($o = $this->db->fetch_object($res))) {
			$this->filters[$o->rowid] = array('id' => $o->rowid, 'type' => $o->type, 'rulevalue' => $o->rulevalue, 'status' => $o->status);
		}
		return 1;
	}
	public function fetchActions()
	{
		$this->actions = array();
		$res = $this->db->query('SELECT rowid, type, actionparam, status FROM '.MAIN_DB_PREFIX.'emailcollector_emailcollectoraction WHERE fk_emailcollector = '.((int) $this->id).' ORDER BY position');
		while ($res && ($o = $this->db->fetch_object($res))) {
			$this->actions[$o->rowid] = array('id' => $o->rowid, 'type' => $o->type, 'actionparam' => $o->actionparam, 'status' => $o->status);
		}
		return 1;
	}
	private function cmd($fp, $tag, $command)
	{
		fwrite($fp, $tag.' '.$command."\\r\\n");
		$lines = array();
		while (($l = fgets($fp)) !== false) {
			$lines[] = $l;
			if (preg_match('/\\{(\\d+)\\}\\r\\n$/', $l, $m)) {
				$lines[] = stream_get_contents($fp, (int) $m[1]);
				continue;
			}
			if (strpos($l, $tag.' ') === 0) {
				break;
			}
		}
		$last = end($lines);
		if (strpos((string) $last, $tag.' OK') !== 0) {
			throw new Exception(trim($command === '' ? '' : preg_replace('/^LOGIN .*/', 'LOGIN', $command)).': '.trim((string) $last));
		}
		return $lines;
	}
	private function quoted($s)
	{
		return '"'.str_replace(array('\\\\', '"'), array('\\\\\\\\', '\\\\"'), $s).'"';
	}
	public function doCollectOneCollector($mode = 0)
	{
		global $user;
		$this->fetchFilters();
		$this->fetchActions();
		$ctx = stream_context_create(array('ssl' => array('verify_peer' => true, 'verify_peer_name' => true, 'peer_name' => $this->host)));
		$scheme = $this->imap_encryption === 'ssl' ? 'ssl' : 'tcp';
		$fp = @stream_socket_client($scheme.'://'.$this->host.':'.$this->port, $errno, $errstr, 20, STREAM_CLIENT_CONNECT, $ctx);
		if (!$fp) {
			$this->error = 'connection setup failed: '.$errstr;
			$this->errors[] = $this->error;
			return -1;
		}
		$nbemailprocessed = 0;
		$nbactiondone = 0;
		try {
			fgets($fp);
			if ($this->imap_encryption === 'tls') {
				$this->cmd($fp, 'a0', 'STARTTLS');
				if (!stream_socket_enable_crypto($fp, true, STREAM_CRYPTO_METHOD_TLS_CLIENT)) {
					throw new Exception('STARTTLS failed');
				}
			}
			$this->cmd($fp, 'a1', 'LOGIN '.$this->quoted($this->login).' '.$this->quoted($this->password));
			$this->cmd($fp, 'a2', 'SELECT '.$this->quoted($this->source_directory));
			$criteria = 'UNDELETED';
			foreach ($this->filters as $rule) {
				if (!empty($rule['status']) && in_array($rule['type'], array('from', 'subject'))) {
					$criteria .= ' '.strtoupper($rule['type']).' '.$this->quoted($rule['rulevalue']);
				}
			}
			$uids = array();
			foreach ($this->cmd($fp, 'a3', 'UID SEARCH '.$criteria) as $l) {
				if (strpos($l, '* SEARCH') === 0) {
					$uids = array_filter(explode(' ', trim(substr($l, 8))));
				}
			}
			foreach (array_slice($uids, 0, (int) $this->maxemailpercollect) as $uid) {
				$head = implode('', $this->cmd($fp, 'a4', 'UID FETCH '.((int) $uid).' (BODY.PEEK[HEADER.FIELDS (MESSAGE-ID FROM SUBJECT)])'));
				preg_match('/^Message-ID:\\s*<?([^>\\r\\n]*)>?/mi', $head, $id);
				preg_match('/^From:\\s*(.*)$/mi', $head, $from);
				preg_match('/^Subject:\\s*(.*)$/mi', $head, $subject);
				$msgid = isset($id[1]) ? trim($id[1]) : '';
				$nbemailprocessed++;
				foreach ($this->actions as $operation) {
					if ($operation['type'] !== 'recordevent' || empty($operation['status'])) {
						continue;
					}
					$exists = $this->db->query('SELECT id FROM '.MAIN_DB_PREFIX."actioncomm WHERE email_msgid = '".$this->db->escape($msgid)."'");
					if ($exists && $this->db->fetch_object($exists)) {
						continue;
					}
					$fromval = isset($from[1]) ? trim($from[1]) : '';
					// l.2403-2414: EMAIL_IN, unless the sender matches MAIL_FROM_EMAILS_TO_CONSIDER_SENDING (an empty
					// constant explodes to array('') and preg_match('//') matches every sender)
					$actioncode = 'EMAIL_IN';
					foreach (explode(',', getDolGlobalString('MAIL_FROM_EMAILS_TO_CONSIDER_SENDING')) as $own) {
						if (preg_match('/'.preg_quote($own, '/').'/', $fromval)) {
							$actioncode = 'EMAIL';
						}
					}
					$this->db->query('INSERT INTO '.MAIN_DB_PREFIX."actioncomm (entity, code, label, email_msgid, email_from, email_subject, datec, fk_user_author) VALUES (1, 'AC_".$actioncode."', '".$this->db->escape('ActionAC_'.$actioncode.' - MailFrom '.$fromval)."', '".$this->db->escape($msgid)."', '".$this->db->escape($fromval)."', '".$this->db->escape(isset($subject[1]) ? trim($subject[1]) : '')."', NOW(), ".((int) $user->id).')');
					$nbactiondone++;
				}
			}
			$this->cmd($fp, 'a5', 'LOGOUT');
		} catch (Exception $e) {
			$this->error = $e->getMessage();
			$this->errors[] = $this->error;
			fclose($fp);
			return -1;
		}
		fclose($fp);
		$this->lastresult = 'XEmailsDoneYActionsDone '.$nbemailprocessed.' '.$nbactiondone;
		$this->codelastresult = 'OK';
		if (empty($mode)) {
			$this->update($user);
			$this->db->query('UPDATE '.MAIN_DB_PREFIX.'emailcollector_emailcollector SET datelastok = NOW() WHERE rowid = '.((int) $this->id));
		}
		return 1;
	}
}
`;
}

function collectorPartClassPhp(file: string, className: string, table: string, cols: string[]): string {
  const list = cols.map((c) => `'${c}'`).join(', ');
  return `${banner(`htdocs/emailcollector/class/${file}`)}
class ${className}
{
	public $db;
	public $id;
	public $fk_emailcollector;
	public $type;
	public $rulevalue;
	public $actionparam;
	public $position = 0;
	public $status;
	public $error = '';
	public $errors = array();
	public function __construct($db)
	{
		$this->db = $db;
	}
	public function create($user, $notrigger = 0)
	{
		if (empty($this->type)) {
			$this->errors[] = 'ErrorFieldRequired Type';
			return -1;
		}
		${
      className === 'EmailCollectorFilter'
        ? `if (!in_array($this->type, array('seen', 'unseen', 'unanswered', 'answered', 'withtrackingidinmsgid', 'withouttrackingidinmsgid', 'withtrackingid', 'withouttrackingid', 'isanswer', 'isnotanswer')) && empty($this->rulevalue)) {
			$this->errors[] = 'ErrorFieldRequired SearchString';
			return -2;
		}`
        : ''
    }
		$vals = array();
		foreach (array(${list}) as $c) {
			$vals[] = $this->$c === null ? 'NULL' : "'".$this->db->escape($this->$c)."'";
		}
		if (!$this->db->query('INSERT INTO '.MAIN_DB_PREFIX.'${table} (fk_emailcollector, '.implode(', ', array(${list})).') VALUES ('.((int) $this->fk_emailcollector).', '.implode(', ', $vals).')')) {
			$this->error = $this->db->lasterror();
			return -1;
		}
		$this->id = (int) $this->db->last_insert_id(MAIN_DB_PREFIX.'${table}');
		return $this->id;
	}
	public function fetch($id, $ref = null)
	{
		$res = $this->db->query('SELECT rowid FROM '.MAIN_DB_PREFIX.'${table} WHERE rowid = '.((int) $id));
		if ($res && ($o = $this->db->fetch_object($res))) {
			$this->id = (int) $o->rowid;
			return 1;
		}
		return 0;
	}
	public function delete($user, $notrigger = 0)
	{
		return $this->db->query('DELETE FROM '.MAIN_DB_PREFIX.'${table} WHERE rowid = '.((int) $this->id)) ? 1 : -1;
	}
}
`;
}

function newPaymentPhp(): string {
  return `${banner('htdocs/public/payment/newpayment.php')}
// contract: public/payment/newpayment.php (20.0.2): NOLOGIN, NOCSRFCHECK (l.20-40); without amount or source it prints
// "ErrorBadParameters - amount or source" (l.102-104); getValidOnlinePaymentMethods() (core/lib/payments.lib.php l.160-177)
// lists paypal and stripe when their modules are enabled; none: "No active payment module" (l.339-342); PayPal without
// PAYPAL_API_USER / _PASSWORD / _SIGNATURE stops with "Paypal parameter … is not defined" (l.272-283); then one
// submit button per method: dopayment_stripe (l.2171), dopayment_paypal (l.2207)
foreach (array('NOLOGIN', 'NOCSRFCHECK', 'NOIPCHECK') as $c) {
	if (!defined($c)) {
		define($c, '1');
	}
}
require '../../main.inc.php';
if (empty($_GET['amount']) && empty($_GET['source'])) {
	print 'ErrorBadParameters - amount or source';
	exit;
}
$valid = array();
if (isModEnabled('paypal')) {
	foreach (array('PAYPAL_API_USER', 'PAYPAL_API_PASSWORD', 'PAYPAL_API_SIGNATURE') as $k) {
		if (getDolGlobalString($k) === '') {
			print 'Paypal parameter '.$k.' is not defined.';
			exit;
		}
	}
	$valid[] = 'paypal';
}
if (isModEnabled('stripe')) {
	$valid[] = 'stripe';
}
if (empty($valid)) {
	print 'No active payment module (Paypal, Stripe, Paybox, ...)';
	exit;
}
foreach ($valid as $m) {
	print '<input type="submit" id="dopayment_'.$m.'" name="dopayment_'.$m.'" value="Pay">';
}
`;
}

function stripeIpnPhp(): string {
  return `${banner('htdocs/public/stripe/ipn.php')}
// contract: public/stripe/ipn.php (20.0.2): NOLOGIN, NOCSRFCHECK (l.20-40); ?test selects STRIPE_TEST_WEBHOOK_KEY, else
// STRIPE_LIVE_WEBHOOK_KEY (l.60-79); module off: 403 "Module Stripe not enabled" (l.84-86); no key: 400 "…The
// WEBHOOK_KEY is not defined." (l.88-90); no STRIPE_USER_ACCOUNT_FOR_ACTIONS: 400 (l.92-99); an event whose
// Stripe-Signature header does not verify: 400 "Invalid signature. …" (l.127-133)
foreach (array('NOLOGIN', 'NOCSRFCHECK', 'NOIPCHECK') as $c) {
	if (!defined($c)) {
		define($c, '1');
	}
}
require '../../main.inc.php';
$key = isset($_GET['test']) ? getDolGlobalString('STRIPE_TEST_WEBHOOK_KEY') : getDolGlobalString('STRIPE_LIVE_WEBHOOK_KEY');
$service = isset($_GET['test']) ? 'StripeTest' : 'StripeLive';
if (!isModEnabled('stripe')) {
	http_response_code(403);
	print 'Module Stripe not enabled';
	exit;
}
if ($key === '') {
	http_response_code(400);
	print 'Error: Setup of module Stripe not complete for mode '.$service.'. The WEBHOOK_KEY is not defined.';
	exit;
}
if (getDolGlobalString('STRIPE_USER_ACCOUNT_FOR_ACTIONS') === '') {
	http_response_code(400);
	print 'Error: Setup of module Stripe not complete for mode '.$service.'. The STRIPE_USER_ACCOUNT_FOR_ACTIONS is not defined.';
	exit;
}
// the fixture verifies no signature at all: every event is refused as Stripe's constructEvent() refuses an unsigned one
http_response_code(400);
print 'Invalid signature. May be a hook for an event created by another Stripe env ? Check setup of your keys whsec_...';
`;
}

/**
 * includes/webklex/php-imap/vendor/autoload.php: only Carbon\\Carbon::parse(), which the collector tool tries before
 * choosing the PHP-IMAP client; 20.0.2's copy parses a mail date on PHP 8.2 (its Creator.php guards getLastErrors()).
 */
export const phpImapAutoloadPhp = `<?php
// mokodeploy fixture release: htdocs/includes/webklex/php-imap/vendor/autoload.php. Not Dolibarr code; imitates its contract only.
namespace Carbon;

class Carbon
{
	public static function parse($time = null)
	{
		return new \\DateTime((string) $time);
	}
}
`;

/** The files to add to the fixture release. */
export function integrationFiles(): Record<string, string> {
  const files: Record<string, string> = {
    'htdocs/core/modules/modEmailCollector.class.php': coreModulePhp('modEmailCollector', 50320, []),
    'htdocs/core/modules/modStripe.class.php': coreModulePhp('modStripe', 50300, []),
    'htdocs/core/modules/modPaypal.class.php': coreModulePhp('modPaypal', 50200, []),
    'htdocs/emailcollector/class/emailcollector.class.php': emailCollectorClassPhp(),
    'htdocs/includes/webklex/php-imap/vendor/autoload.php': phpImapAutoloadPhp,
    'htdocs/public/payment/newpayment.php': newPaymentPhp(),
    'htdocs/public/stripe/ipn.php': stripeIpnPhp(),
    // core/lib/date.lib.php: loaded by the cron context (cron/class/cronjob.class.php l.29); nothing of it is used here
    'htdocs/core/lib/date.lib.php': banner('htdocs/core/lib/date.lib.php'),
    'htdocs/emailcollector/class/emailcollectorfilter.class.php': collectorPartClassPhp(
      'emailcollectorfilter.class.php',
      'EmailCollectorFilter',
      'emailcollector_emailcollectorfilter',
      ['type', 'rulevalue', 'status'],
    ),
    'htdocs/emailcollector/class/emailcollectoraction.class.php': collectorPartClassPhp(
      'emailcollectoraction.class.php',
      'EmailCollectorAction',
      'emailcollector_emailcollectoraction',
      ['type', 'actionparam', 'position', 'status'],
    ),
  };
  for (const [name, sql] of Object.entries(tables)) files[`htdocs/install/mysql/tables/${name}`] = `${sql}\n`;
  return files;
}
