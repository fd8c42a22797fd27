/**
 * Fixture release: the REST API (module Api) for the objects verification exercises. Not Dolibarr code; it
 * imitates the contract of htdocs/api/index.php (PATH_INFO routing, DOLAPIKEY header, api/class/api_access.class.php
 * l.106-136), api_login.class.php (POST /login {login, password} -> success.token, stored in llx_user.api_key),
 * api_status.class.php, societe/class/api_thirdparties.class.php, societe/class/api_contacts.class.php,
 * product/class/api_products.class.php (POST -> new id; GET list with sqlfilters "(t.field:like:'x%')";
 * GET/DELETE by id) and api/class/api_documents.class.php (POST /documents/upload base64 into
 * DATA_ROOT/societe/<id>/, GET /documents/download, DELETE /documents); proposals and PUT /documents/builddoc are
 * in php-reports.ts.
 */
const banner = (what: string) =>
  `<?php\n// mokodeploy fixture release: ${what}. Not Dolibarr code; imitates its contract only.\n`;

export function apiIndexPhp(): string {
  return `${banner('htdocs/api/index.php')}
define('NOSESSION', '1');
require '../master.inc.php';
require_once DOL_DOCUMENT_ROOT.'/user/class/user.class.php';
function api_out($code, $data)
{
	http_response_code($code);
	header('Content-Type: application/json');
	print json_encode($data);
	exit;
}
function api_error($code, $message)
{
	api_out($code, array('error' => array('code' => $code, 'message' => $message)));
}
// contract: api/index.php l.121-128 (20.0.2): HTTP 200 and nothing but a warning while module Api is off,
// trans("WarningModuleNotActive", 'Api') as langs/en_US/admin.lang words it
if (!isModEnabled('api')) {
	print 'Module <b>Api</b> must be enabled.<br><br>ToActivateModule';
	exit(0);
}
$path = trim(isset($_SERVER['PATH_INFO']) ? $_SERVER['PATH_INFO'] : '', '/');
$method = $_SERVER['REQUEST_METHOD'];
$body = json_decode((string) file_get_contents('php://input'), true);
if (!is_array($body)) {
	$body = array();
}
$parts = explode('/', $path);
if ($path === 'login') {
	$u = new User($db);
	$login = isset($body['login']) ? $body['login'] : (isset($_GET['login']) ? $_GET['login'] : '');
	$password = isset($body['password']) ? $body['password'] : (isset($_GET['password']) ? $_GET['password'] : '');
	if ($u->fetch(0, (string) $login) <= 0 || !password_verify((string) $password, (string) $u->pass_indatabase_crypted)) {
		api_error(403, 'Access denied');
	}
	$res = $db->query("SELECT api_key FROM ".MAIN_DB_PREFIX."user WHERE rowid = ".((int) $u->id));
	$o = $db->fetch_object($res);
	$token = $o && $o->api_key ? $o->api_key : bin2hex(random_bytes(20));
	$db->query("UPDATE ".MAIN_DB_PREFIX."user SET api_key = '".$db->escape($token)."' WHERE rowid = ".((int) $u->id));
	api_out(200, array('success' => array('code' => 200, 'token' => $token, 'entity' => '1', 'message' => 'Welcome '.$u->login)));
}
// contract: api_access.class.php l.106-136: key from the DOLAPIKEY header (or ?DOLAPIKEY=)
$key = isset($_SERVER['HTTP_DOLAPIKEY']) ? $_SERVER['HTTP_DOLAPIKEY'] : (isset($_GET['DOLAPIKEY']) ? $_GET['DOLAPIKEY'] : '');
$res = $key === '' ? false : $db->query("SELECT login, entity FROM ".MAIN_DB_PREFIX."user WHERE statut = 1 AND api_key = '".$db->escape($key)."'");
$o = $res ? $db->fetch_object($res) : null;
if (!$o) {
	api_error(401, 'Unauthorized: failed to login to API. No parameter HTTP_DOLAPIKEY on HTTP header (and no parameter DOLAPIKEY in URL).');
}
// contract (issue 18): api/index.php l.57-58 takes the entity from the DOLAPIENTITY header; without it,
// api_access.class.php l.144-148 switches to the key owner's entity; l.171 then fetches the user in
// "entity IN (0, N)", so a user of another entity is refused (401)
$apiEntity = !empty($_SERVER['HTTP_DOLAPIENTITY']) ? (int) $_SERVER['HTTP_DOLAPIENTITY'] : ((int) $o->entity > 0 ? (int) $o->entity : 1);
if ((int) $o->entity !== 0 && (int) $o->entity !== $apiEntity) {
	api_error(401, 'Unauthorized: this API key is not valid in entity '.$apiEntity);
}
if ($apiEntity !== (int) $conf->entity) {
	fixture_set_entity($db, $conf, $apiEntity);
}
$user = new User($db);
$user->fetch(0, $o->login, '', 0, $apiEntity);
// contract: api_access.class.php l.217 (20.0.2): the key's user with its rights; each endpoint checks its own (issue 17)
$user->getrights();
require __DIR__.'/fixture_rights.php';
fixture_api_require_right($user, $method, $parts[0], isset($parts[1]) ? (string) $parts[1] : '');
if ($parts[0] === 'users') {
	fixture_users($db, $method, isset($parts[1]) ? (int) $parts[1] : 0);
}
if ($parts[0] === 'invoices' && $method === 'GET' && empty($parts[1])) {
	fixture_invoice_list($db);
}
require __DIR__.'/fixture_objects.php';
require __DIR__.'/fixture_documents.php';
require __DIR__.'/fixture_proposals.php';
if ($path === 'status') {
	api_out(200, array('success' => array('code' => 200, 'dolibarr_version' => DOL_VERSION, 'access_locked' => '0', 'environment' => 'non-production')));
}
if ($parts[0] === 'proposals' || $parts[0] === 'invoices') {
	fixture_proposals($db, $method, isset($parts[1]) ? (int) $parts[1] : 0, $body, $parts[0]);
}
if ($parts[0] === 'documents' && $method === 'PUT' && isset($parts[1]) && $parts[1] === 'builddoc') {
	fixture_builddoc($db, $body);
}
if ($parts[0] === 'documents') {
	fixture_documents($db, $method, isset($parts[1]) ? $parts[1] : '', $body);
}
$objects = fixture_object_types();
if (!isset($objects[$parts[0]])) {
	api_error(404, 'Not found');
}
fixture_object_route($db, $objects[$parts[0]], $method, isset($parts[1]) ? (int) $parts[1] : 0, $body);
`;
}

export function apiObjectsPhp(): string {
  return `${banner('htdocs/api/fixture_objects.php (the object APIs)')}
function fixture_object_types()
{
	return array(
		'thirdparties' => array('table' => 'societe', 'fields' => array('name' => 'nom', 'client' => 'client', 'code_client' => 'code_client'), 'required' => 'name', 'none' => 'Thirdparties not found', 'element' => 'societe'),
		'contacts' => array('table' => 'socpeople', 'fields' => array('socid' => 'fk_soc', 'lastname' => 'lastname', 'firstname' => 'firstname', 'email' => 'email'), 'required' => 'lastname', 'none' => 'No contact found', 'element' => 'contact'),
		'products' => array('table' => 'product', 'fields' => array('ref' => 'ref', 'label' => 'label', 'price' => 'price', 'type' => 'fk_product_type', 'status' => 'tosell'), 'required' => 'ref', 'none' => 'No product found', 'element' => 'product'),
	);
}
function fixture_row($type, $o)
{
	$out = array('id' => (string) $o->rowid);
	foreach ($type['fields'] as $api => $col) {
		$out[$api] = $o->$col;
	}
	return $out;
}
// contract: DolibarrApi::_checkFilters / forgeSQLFromUniversalSearchCriteria: "(t.field:operator:'value')" joined by and/or
function fixture_sqlfilters($db, $filters)
{
	if (!preg_match_all("/\\\\(t\\\\.([a-z_]+):(like|=):'([^']*)'\\\\)/", $filters, $m, PREG_SET_ORDER)) {
		api_error(400, 'Error when validating parameter sqlfilters '.$filters);
	}
	$where = array();
	foreach ($m as $c) {
		$where[] = 't.'.$c[1].($c[2] === 'like' ? ' LIKE ' : ' = ')."'".$db->escape($c[3])."'";
	}
	return ' AND '.implode(' AND ', $where);
}
function fixture_object_route($db, $type, $method, $id, $body)
{
	$table = MAIN_DB_PREFIX.$type['table'];
	if ($method === 'POST' && !$id) {
		if (empty($body[$type['required']])) {
			api_error(400, $type['required'].' field missing');
		}
		$cols = array('entity', 'datec');
		$vals = array((string) ((int) $GLOBALS['conf']->entity), 'NOW()');
		foreach ($type['fields'] as $api => $col) {
			if (isset($body[$api])) {
				$value = (string) $body[$api];
				if ($col === 'code_client' && $value === '-1') {
					$value = 'CU'.date('ym').'-'.sprintf('%05d', 1 + (int) $db->fetch_object($db->query("SELECT COUNT(*) AS n FROM ".$table))->n);
				}
				$cols[] = $col;
				$vals[] = "'".$db->escape($value)."'";
			}
		}
		if (!$db->query("INSERT INTO ".$table."(".implode(', ', $cols).") VALUES (".implode(', ', $vals).")")) {
			api_error(500, 'Error creating: '.$db->lasterror());
		}
		api_out(200, (int) $db->last_insert_id());
	}
	if ($method === 'GET' && !$id) {
		$where = isset($_GET['sqlfilters']) ? fixture_sqlfilters($db, $_GET['sqlfilters']) : '';
		$limit = isset($_GET['limit']) ? (int) $_GET['limit'] : 100;
		// contract: api_thirdparties.class.php index() l.165 (20.0.2, contacts and products alike): "t.entity IN (".getEntity(<element>).")"
		$res = $db->query("SELECT * FROM ".$table." AS t WHERE t.entity IN (".getEntity($type['element']).")".$where." ORDER BY t.rowid LIMIT ".max(1, $limit));
		$list = array();
		while ($res && ($o = $db->fetch_object($res))) {
			$list[] = fixture_row($type, $o);
		}
		if (!count($list)) {
			api_error(404, $type['none']);
		}
		api_out(200, $list);
	}
	$res = $db->query("SELECT * FROM ".$table." WHERE rowid = ".((int) $id));
	$o = $res ? $db->fetch_object($res) : null;
	if (!$o) {
		api_error(404, 'Object not found');
	}
	// contract: api_thirdparties.class.php l.298-299 (20.0.2): DolibarrApi::_checkAccessToResource() -> checkUserAccessToObject() (core/lib/security.lib.php): an
	// object outside getEntity() of its element is refused, "Access not allowed for login" (issue 18)
	if (!in_array((int) $o->entity, array_map('intval', explode(',', getEntity($type['element']))), true)) {
		api_error(403, 'Access not allowed for login '.$GLOBALS['user']->login);
	}
	if ($method === 'GET') {
		api_out(200, fixture_row($type, $o));
	}
	if ($method === 'DELETE') {
		// contract: product/class/api_products.class.php l.528-533 + commonobject.class.php isObjectUsed() l.4875-4890:
		// a missing child table (llx_bom_bom: module BOM never enabled) makes every product "used" -> 409
		if ($type['table'] === 'product' && !$db->query("SELECT 1 FROM ".MAIN_DB_PREFIX."bom_bom LIMIT 1")) {
			api_error(409, "Conflict: Can't delete, that product is probably used");
		}
		$db->query("DELETE FROM ".$table." WHERE rowid = ".((int) $id));
		api_out(200, array('success' => array('code' => 200, 'message' => 'Object deleted')));
	}
	api_error(405, 'Method not allowed');
}
`;
}

export function apiDocumentsPhp(): string {
  return `${banner('htdocs/api/fixture_documents.php (api_documents.class.php)')}
// contract: api_documents.class.php: modulepart 'thirdparty'/'societe' keeps files in DATA_ROOT/societe/<id>/;
// upload {filename, modulepart, ref, subdir, filecontent, fileencoding 'base64', overwriteifexists}
function fixture_documents_path($modulepart, $file)
{
	if (!in_array($modulepart, array('thirdparty', 'societe'), true) || strpos($file, '..') !== false) {
		api_error(400, 'Bad value for parameter modulepart or original_file');
	}
	return DOL_DATA_ROOT.'/societe/'.$file;
}
function fixture_documents($db, $method, $action, $body)
{
	if ($method === 'POST' && $action === 'upload') {
		$name = basename((string) (isset($body['filename']) ? $body['filename'] : ''));
		$modulepart = isset($body['modulepart']) ? (string) $body['modulepart'] : '';
		// contract: api_documents.class.php post() l.700-785 (20.0.2): objects found by ref do not include third
		// parties; l.835-850: without ref, subdir is the directory under the modulepart's dir_output
		if (!empty($body['ref'])) {
			api_error(500, 'Modulepart '.$modulepart.' not implemented yet.');
		}
		$subdir = trim((string) (isset($body['subdir']) ? $body['subdir'] : ''), '/');
		if ($name === '') {
			api_error(400, 'Bad value for parameter filename');
		}
		$dest = fixture_documents_path($modulepart, ($subdir !== '' ? $subdir.'/' : '').$name);
		if (file_exists($dest) && empty($body['overwriteifexists'])) {
			api_error(500, 'File '.$name.' already exists');
		}
		@mkdir(dirname($dest), 0755, true);
		$content = (isset($body['fileencoding']) && $body['fileencoding'] === 'base64') ? base64_decode((string) $body['filecontent']) : (string) $body['filecontent'];
		if (file_put_contents($dest, $content) === false) {
			api_error(500, 'Failed to write '.$dest);
		}
		api_out(200, $name);
	}
	$file = isset($_GET['original_file']) ? $_GET['original_file'] : '';
	$path = fixture_documents_path(isset($_GET['modulepart']) ? $_GET['modulepart'] : '', $file);
	if (!is_file($path)) {
		api_error(404, 'File not found');
	}
	if ($method === 'GET' && $action === 'download') {
		$data = file_get_contents($path);
		api_out(200, array('filename' => basename($path), 'content-type' => 'application/octet-stream', 'filesize' => strlen($data), 'content' => base64_encode($data), 'encoding' => 'base64'));
	}
	if ($method === 'DELETE') {
		unlink($path);
		api_out(200, array('success' => array('code' => 200, 'message' => 'Document deleted')));
	}
	api_error(405, 'Method not allowed');
}
`;
}
