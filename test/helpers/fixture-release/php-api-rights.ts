/**
 * Fixture release: the rights model of the REST API (issue 17, API connections). Not Dolibarr code; it imitates:
 * - api/class/api_access.class.php l.217 (20.0.2): the key's user is loaded with getrights() (done in api/index.php);
 * - the right each read endpoint checks before anything else, 403 without it: societe/class/api_thirdparties.class.php
 *   index() l.140 (societe.lire), compta/facture/class/api_invoices.class.php index() l.189 (facture.lire),
 *   user/class/api_users.class.php index() l.76 (user.user.lire, or an admin: "You are not allowed to read list of
 *   users"); User::hasRight() (user.class.php l.790-905) is false for a disabled module;
 * - user/class/api_users.class.php index() l.80-138: GET /users lists the users of the entity (no secrets: the
 *   real one cleans pass, pass_crypted and api_key out, _cleanObjectDatas() l.1290-1300);
 * - compta/facture/class/api_invoices.class.php index() l.180-283: GET /invoices lists the entity's invoices, an
 *   empty list being 200 [] (unlike thirdparties, whose index() answers 404 "Thirdparties not found", l.236-238).
 */
const banner = (what: string) =>
  `<?php\n// mokodeploy fixture release: ${what}. Not Dolibarr code; imitates its contract only.\n`;

export function apiRightsPhp(): string {
  return `${banner('htdocs/api/fixture_rights.php (the rights the REST API checks)')}
// the list endpoints (index()) only: get($id), post() and the others check their own rights, not imitated here
function fixture_api_require_right($user, $method, $resource, $id = '')
{
	$rights = array(
		'thirdparties' => array('societe', 'lire', ''),
		'invoices' => array('facture', 'lire', ''),
		'users' => array('user', 'user', 'lire'),
	);
	if ($method !== 'GET' || $id !== '' || !isset($rights[$resource])) {
		return;
	}
	$r = $rights[$resource];
	if ($user->hasRight($r[0], $r[1], $r[2])) {
		return;
	}
	if ($resource === 'users') {
		if (empty($user->admin)) {
			api_error(403, 'Forbidden: You are not allowed to read list of users');
		}
		return;
	}
	api_error(403, 'Forbidden');
}
function fixture_invoice_list($db)
{
	$limit = isset($_GET['limit']) ? (int) $_GET['limit'] : 100;
	$res = $db->query("SELECT rowid, ref, fk_soc, fk_statut FROM ".MAIN_DB_PREFIX."facture WHERE entity IN (".getEntity('invoice').") ORDER BY rowid LIMIT ".max(1, $limit));
	$list = array();
	while ($res && ($o = $db->fetch_object($res))) {
		$list[] = array('id' => (string) $o->rowid, 'ref' => $o->ref, 'socid' => (string) $o->fk_soc, 'statut' => (string) $o->fk_statut);
	}
	api_out(200, $list);
}
function fixture_users($db, $method, $id)
{
	if ($method !== 'GET' || $id) {
		api_error(405, 'Method not allowed');
	}
	$limit = isset($_GET['limit']) ? (int) $_GET['limit'] : 100;
	$res = $db->query("SELECT rowid, login, lastname, firstname, admin, statut FROM ".MAIN_DB_PREFIX."user WHERE entity IN (0, ".((int) $GLOBALS['conf']->entity).") ORDER BY rowid LIMIT ".max(1, $limit));
	$list = array();
	while ($res && ($o = $db->fetch_object($res))) {
		$list[] = array('id' => (string) $o->rowid, 'login' => $o->login, 'lastname' => $o->lastname, 'firstname' => $o->firstname, 'admin' => (string) $o->admin, 'statut' => (string) $o->statut);
	}
	api_out(200, $list);
}
`;
}
