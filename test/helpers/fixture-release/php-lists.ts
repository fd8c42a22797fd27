/**
 * Fixture release: list pages with the search box, the export wizard and document.php, and CMailFile. Not
 * Dolibarr code; each imitates the contract of the Dolibarr file it names:
 * - societe/list.php, contact/list.php, product/list.php: GET search_all (the top search box's target, main.inc.php
 *   $arrayresult 'searchintothirdparty'/'searchintocontact'/'searchintoproduct') filters the list; rows link to the card.
 * - exports/export.php: step 2 action=selectfield&field=all (kept in $_SESSION['export_selected_fields']), step 5
 *   action=builddoc&model=csvutf8 (any csv* model here) writes DATA_ROOT/export/temp/<user id>/export_<datatoexport>.csv (export_csv.modules.php:
 *   header row of labels, comma separator, values quoted with " when needed) and links to
 *   document.php?modulepart=export&file=<name>; actions need the CSRF token (main.inc.php l.600-705).
 * - core/class/CMailFile.class.php: new CMailFile($subject, $to, $from, $msg) + sendfile() over SMTP to
 *   MAIN_MAIL_SMTP_SERVER:MAIN_MAIL_SMTP_PORT (sendmode 'smtps'); error in ->error.
 */
const banner = (what: string) =>
  `<?php\n// mokodeploy fixture release: ${what}. Not Dolibarr code; imitates its contract only.\n`;

/** element: getEntity()'s name for the table (20.0.2: societe/list.php l.589 getEntity('societe'), contact/list.php l.516 'contact', product/list.php l.511 'product'). */
function listPhp(file: string, table: string, label: string, search: string[], card: string, element: string): string {
  const where = search.map((c) => `${c} LIKE '%".$db->escape($q)."%'`).join(' OR ');
  return `${banner(file)}
require '../main.inc.php';
$q = trim(isset($_GET['search_all']) ? $_GET['search_all'] : (isset($_GET['sall']) ? $_GET['sall'] : ''));
llxHeader('${label}');
// contract: ${file.replace('htdocs/', '')}: "WHERE entity IN (".getEntity('${element}').")" (functions.lib.php getEntity(): the
// user's entity, issue 18)
$res = $db->query("SELECT rowid, ${search[0]} AS label FROM ".MAIN_DB_PREFIX."${table} WHERE entity IN (".getEntity('${element}').")".($q !== '' ? " AND (${where})" : '')." ORDER BY rowid DESC LIMIT 100");
print '<table class="liste">';
$n = 0;
while ($res && ($o = $db->fetch_object($res))) {
	$n++;
	print '<tr class="oddeven"><td><a href="'.DOL_URL_ROOT.'/${card}'.((int) $o->rowid).'">'.dol_escape_htmltag($o->label).'</a></td></tr>';
}
print '</table><div class="nbrecords">'.$n.'</div>';
llxFooter();
`;
}

export const societeListPhp = () =>
  listPhp(
    'htdocs/societe/list.php',
    'societe',
    'Third parties',
    ['nom', 'code_client'],
    'societe/card.php?socid=',
    'societe',
  );
export const contactListPhp = () =>
  listPhp(
    'htdocs/contact/list.php',
    'socpeople',
    'Contacts',
    ['lastname', 'firstname', 'email'],
    'contact/card.php?id=',
    'contact',
  );
export const productListPhp = () =>
  listPhp('htdocs/product/list.php', 'product', 'Products', ['ref', 'label'], 'product/card.php?id=', 'product');

export function exportPhp(): string {
  return `${banner('htdocs/exports/export.php')}
require '../main.inc.php';
// contract: modSociete export_code 'societe_1' (third parties), 'societe_2' (contacts); modProduct 'produit_1'
$datasets = array(
	'societe_1' => array('table' => 'societe', 'fields' => array('s.rowid' => array('rowid', 'Id'), 's.nom' => array('nom', 'Name'), 's.code_client' => array('code_client', 'CustomerCode'))),
	'societe_2' => array('table' => 'socpeople', 'fields' => array('c.rowid' => array('rowid', 'Id'), 'c.lastname' => array('lastname', 'Lastname'), 'c.firstname' => array('firstname', 'Firstname'), 'c.email' => array('email', 'Email'))),
	'produit_1' => array('table' => 'product', 'fields' => array('p.rowid' => array('rowid', 'Id'), 'p.ref' => array('ref', 'Ref'), 'p.label' => array('label', 'Label'), 'p.price' => array('price', 'Price'))),
);
$step = isset($_GET['step']) ? (int) $_GET['step'] : 1;
$action = isset($_GET['action']) ? $_GET['action'] : (isset($_POST['action']) ? $_POST['action'] : '');
$data = isset($_GET['datatoexport']) ? $_GET['datatoexport'] : '';
$token = isset($_GET['token']) ? $_GET['token'] : (isset($_POST['token']) ? $_POST['token'] : '');
if ($action !== '' && (!isset($_SESSION['token']) || !hash_equals($_SESSION['token'], (string) $token))) {
	http_response_code(403);
	print 'ErrorBadValueForCSRFToken';
	exit;
}
if (!isset($datasets[$data])) {
	llxHeader('Exports');
	print '<div class="error">ErrorBadValueForParameter datatoexport</div>';
	llxFooter();
	exit;
}
$set = $datasets[$data];
if ($action === 'selectfield') {
	$field = isset($_GET['field']) ? $_GET['field'] : '';
	$_SESSION['export_selected_fields'] = $field === 'all' ? array_keys($set['fields']) : array_merge(isset($_SESSION['export_selected_fields']) ? $_SESSION['export_selected_fields'] : array(), array($field));
}
$dir = DOL_DATA_ROOT.'/export/temp/'.$user->id;
$file = 'export_'.$data.'.csv';
if ($action === 'builddoc') {
	$selected = isset($_SESSION['export_selected_fields']) ? array_intersect($_SESSION['export_selected_fields'], array_keys($set['fields'])) : array();
	if (!$selected) {
		http_response_code(400);
		print 'ErrorFieldsRequired';
		exit;
	}
	@mkdir($dir, 0750, true);
	$fh = fopen($dir.'/'.$file, 'w');
	fputcsv($fh, array_map(function ($k) use ($set) {
		return $set['fields'][$k][1];
	}, $selected));
	$res = $db->query("SELECT * FROM ".MAIN_DB_PREFIX.$set['table']." WHERE entity IN (1) ORDER BY rowid");
	while ($res && ($o = $db->fetch_object($res))) {
		fputcsv($fh, array_map(function ($k) use ($set, $o) {
			$col = $set['fields'][$k][0];
			return $o->$col;
		}, $selected));
	}
	fclose($fh);
}
llxHeader('Exports');
print '<h1>Export step '.$step.'</h1>';
if (is_file($dir.'/'.$file)) {
	// contract: core/class/html.formfile.class.php showdocuments() adds &entity=<n> after the file (20.0.2)
	print '<a class="documentdownload" href="'.DOL_URL_ROOT.'/document.php?modulepart=export&file='.urlencode($file).'&entity=1">'.$file.'</a>';
}
llxFooter();
`;
}

export function documentPhp(): string {
  return `${banner('htdocs/document.php')}
require 'main.inc.php';
// contract: document.php + dol_check_secure_access_document(): modulepart 'export' = DATA_ROOT/export/temp/<user id>/,
// 'societe' = DATA_ROOT/societe/ with file '<socid>/<name>' (core/lib/files.lib.php l.3086)
$modulepart = isset($_GET['modulepart']) ? (string) $_GET['modulepart'] : '';
$file = isset($_GET['file']) ? (string) $_GET['file'] : '';
$path = $modulepart === 'societe' ? DOL_DATA_ROOT.'/societe/'.$file : DOL_DATA_ROOT.'/export/temp/'.$user->id.'/'.basename($file);
if (!in_array($modulepart, array('export', 'societe'), true) || $file === '' || strpos($file, '..') !== false || !is_file($path)) {
	http_response_code(404);
	print 'ErrorFileNotFound';
	exit;
}
header('Content-Type: '.($modulepart === 'export' ? 'text/csv' : 'application/octet-stream'));
header('Content-Disposition: attachment; filename="'.$file.'"');
readfile($path);
`;
}

export function cMailFilePhp(): string {
  return `${banner('htdocs/core/class/CMailFile.class.php')}
class CMailFile
{
	public $error = '';
	private $subject;
	private $to;
	private $from;
	private $msg;
	public function __construct($subject, $to, $from, $msg, $filename_list = array(), $mimetype_list = array(), $mimefilename_list = array(), $addr_cc = '', $addr_bcc = '', $deliveryreceipt = 0, $msgishtml = 0)
	{
		$this->subject = $subject;
		$this->to = $to;
		$this->from = $from;
		$this->msg = $msg;
	}
	private function expect($fp, $code)
	{
		$line = '';
		while (($l = fgets($fp, 515)) !== false) {
			$line = $l;
			if (substr($l, 3, 1) !== '-') {
				break;
			}
		}
		if (substr($line, 0, 3) !== $code) {
			$this->error = 'SMTP: expected '.$code.', got '.trim($line);
			return false;
		}
		return true;
	}
	public function sendfile()
	{
		$host = getDolGlobalString('MAIN_MAIL_SMTP_SERVER', 'localhost');
		$port = getDolGlobalInt('MAIN_MAIL_SMTP_PORT', 25);
		// contract (issue 17): CMailFile.class.php l.1034-1060 (20.0.2) connects to ssl://host with MAIN_MAIL_EMAIL_TLS,
		// checking the certificate; smtps.class.php l.527-640 sends STARTTLS (MAIN_MAIL_EMAIL_STARTTLS) and AUTH LOGIN with
		// MAIN_MAIL_SMTPS_ID / MAIN_MAIL_SMTPS_PW only when both are set
		$ctx = stream_context_create(array('ssl' => array('verify_peer' => true, 'verify_peer_name' => true)));
		$scheme = getDolGlobalString('MAIN_MAIL_EMAIL_TLS') ? 'ssl' : 'tcp';
		$fp = @stream_socket_client($scheme.'://'.$host.':'.$port, $errno, $errstr, 10, STREAM_CLIENT_CONNECT, $ctx);
		if (!$fp) {
			$this->error = 'Failed to connect to '.$host.':'.$port.': '.$errstr;
			return false;
		}
		$id = getDolGlobalString('MAIN_MAIL_SMTPS_ID');
		$pw = getDolGlobalString('MAIN_MAIL_SMTPS_PW');
		$steps = array(array(null, '220'), array('EHLO '.gethostname(), '250'));
		if ($id !== '' && $pw !== '') {
			if (getDolGlobalString('MAIN_MAIL_EMAIL_STARTTLS')) {
				$steps[] = array('STARTTLS', '220');
				$steps[] = array('crypto', null);
				$steps[] = array('EHLO '.gethostname(), '250');
			}
			$steps[] = array('AUTH LOGIN', '334');
			$steps[] = array(base64_encode($id), '334');
			$steps[] = array(base64_encode($pw), '235');
		}
		$steps = array_merge($steps, array(array('MAIL FROM:<'.$this->from.'>', '250'), array('RCPT TO:<'.$this->to.'>', '250'), array('DATA', '354')));
		foreach ($steps as $s) {
			if ($s[0] === 'crypto') {
				if (!stream_socket_enable_crypto($fp, true, STREAM_CRYPTO_METHOD_TLS_CLIENT)) {
					$this->error = 'STARTTLS connection failed.';
					fclose($fp);
					return false;
				}
				continue;
			}
			if ($s[0] !== null) {
				fwrite($fp, $s[0]."\\r\\n");
			}
			if (!$this->expect($fp, $s[1])) {
				fclose($fp);
				return false;
			}
		}
		$head = 'From: '.$this->from."\\r\\nTo: ".$this->to."\\r\\nSubject: ".$this->subject."\\r\\nMessage-ID: <".bin2hex(random_bytes(8))."@mokodeploy.fixture>\\r\\nContent-Type: text/plain; charset=UTF-8\\r\\n\\r\\n";
		fwrite($fp, $head.str_replace("\\n.", "\\n..", $this->msg)."\\r\\n.\\r\\n");
		$ok = $this->expect($fp, '250');
		fwrite($fp, "QUIT\\r\\n");
		fclose($fp);
		return $ok;
	}
}
`;
}
