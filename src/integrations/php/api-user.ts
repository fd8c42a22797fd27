import { phpTool } from '../../dolibarr/php/bootstrap.js';

/**
 * One external system's REST API user, converged to the plan through Dolibarr's own User class
 * (htdocs/user/class/user.class.php, 20.0.2: fetch() l.450, create() l.1632, setPassword() l.2393,
 * addrights() l.927, delrights() l.1070, update() l.1997 which stores api_key with dolEncrypt() l.2111).
 * - Every right is resolved first in llx_rights_def (module, perms, subperms -> id; ids differ between releases and
 *   exist only for enabled modules); one unknown right and nothing changes: the error names the plan's position
 *   ("where") and the nearest names defined on this target.
 * - The wanted set is the listed rights plus what addrights() adds with them (l.964-975: a sub-permission brings
 *   module.perms.lire/read, a permission brings module.lire/read), so a re-run revokes nothing it would re-add.
 * - The user is ours only if it is not an admin and its firstname is "mokodeploy" (set at creation); anything else
 *   under that login is refused, and so is our user once someone disabled it (statut 0). A new user gets a CSPRNG
 *   password nobody is told (never printed, never kept).
 * - The key (stdin only) is written only when the stored one differs: a re-run keeps it.
 * - Issue 18: the tool works in the request's entity (bootstrap.ts sets $_ENV['dol_entity'], master.inc.php l.194-196):
 *   the user is looked up in it (fetch() with the entity: "u.entity IN (0, N)", l.500-510; with -1 a superadmin's
 *   fetch finds the login in any entity, l.500-504), created in it (llx_user.entity), and granted rights in it
 *   (llx_user_rights.entity; loadRights() l.1237-1249 reads only the current entity's rows).
 *   With `revoke` (an entity no longer reached), our user of that entity loses every right and its key.
 * Input: { htdocs, admin, system, login, lastname, key, rights: [{ right, where }], entity?, revoke? }. Output: the result's "apiUser".
 */
export const apiUserPhp = phpTool(`
// errors on stderr too, one a line, as the run shows them (the JSON result stays on stdout)
function moko_api_finish()
{
	global $mokoResult;
	foreach ($mokoResult['errors'] as $e) {
		fwrite(STDERR, $e."\\n");
	}
	moko_finish();
}
$mokoEntity = (int) $conf->entity;
$mokoDefs = array();
$res = $db->query("SELECT DISTINCT id, module, perms, subperms FROM ".MAIN_DB_PREFIX."rights_def WHERE entity IN (0, ".$mokoEntity.") ORDER BY id");
while ($res && ($o = $db->fetch_object($res))) {
	$mokoDefs[(int) $o->id] = array('module' => (string) $o->module, 'perms' => (string) $o->perms, 'subperms' => (string) $o->subperms);
}
function moko_right_name($d)
{
	return $d['module'].($d['perms'] !== '' ? '.'.$d['perms'] : '').($d['subperms'] !== '' ? '.'.$d['subperms'] : '');
}
// issue 18: an entity the plan no longer lets the system reach: our user there keeps no right and no key (so any
// call with its key is refused, api_access.class.php l.150-171), and is the same user if the entity comes back.
// Nothing when there is no such user, or the login there is not ours.
if (!empty($mokoInput['revoke'])) {
	$api = new User($db);
	$found = $api->fetch(0, (string) $mokoInput['login'], '', 0, $mokoEntity) > 0 && !empty($api->id);
	$mokoResult['apiUser'] = array('login' => (string) $mokoInput['login'], 'entity' => $mokoEntity, 'revoked' => array(), 'keyRemoved' => false, 'found' => $found);
	if (!$found || (int) $api->entity !== $mokoEntity || !empty($api->admin) || (string) $api->firstname !== 'mokodeploy') {
		moko_api_finish();
	}
	$res = $db->query("SELECT fk_id FROM ".MAIN_DB_PREFIX."user_rights WHERE fk_user = ".((int) $api->id)." AND entity = ".$mokoEntity);
	$ids = array();
	while ($res && ($o = $db->fetch_object($res))) {
		$ids[] = (int) $o->fk_id;
	}
	foreach ($ids as $id) {
		if ($api->delrights($id, '', '', $mokoEntity) < 0) {
			moko_fail('revoke right '.$id.' from '.$api->login.': '.$api->error);
		}
		$mokoResult['apiUser']['revoked'][] = isset($mokoDefs[$id]) ? moko_right_name($mokoDefs[$id]) : (string) $id;
	}
	if ((string) $api->api_key !== '') {
		$api->api_key = '';
		if ($api->update($user) < 0) {
			moko_fail('remove the API key of '.$api->login.': '.$api->error.' '.implode('; ', (array) $api->errors));
		}
		$mokoResult['apiUser']['keyRemoved'] = true;
	}
	moko_api_finish();
}
$mokoWanted = array();
foreach ($mokoInput['rights'] ?? array() as $r) {
	$parts = explode('.', (string) $r['right'], 3);
	$ids = array();
	foreach ($mokoDefs as $id => $d) {
		if ($d['module'] === $parts[0] && (!isset($parts[1]) || $d['perms'] === $parts[1]) && (!isset($parts[2]) || $d['subperms'] === $parts[2])) {
			$ids[] = $id;
		}
	}
	if (empty($ids)) {
		$near = array();
		foreach ($mokoDefs as $d) {
			$n = moko_right_name($d);
			$near[$n] = levenshtein((string) $r['right'], $n) - (strpos($n, $parts[0].'.') === 0 ? 2 : 0);
		}
		asort($near);
		moko_fail($r['where'].': unknown right '.$r['right'].' (not in llx_rights_def of this Dolibarr: misspelt, or its module is not enabled); near: '.implode(', ', array_slice(array_keys($near), 0, 6)));
		continue;
	}
	foreach ($ids as $id) {
		$mokoWanted[$id] = true;
	}
}
if (!$mokoResult['ok']) {
	moko_api_finish();
}
// what addrights() adds with each right (user.class.php l.964-975)
foreach (array_keys($mokoWanted) as $id) {
	$d = $mokoDefs[$id];
	foreach ($mokoDefs as $oid => $o) {
		if ($o['module'] !== $d['module']) {
			continue;
		}
		if ($d['subperms'] !== '' && $o['perms'] === $d['perms'] && in_array($o['subperms'], array('lire', 'read'), true)) {
			$mokoWanted[$oid] = true;
		} elseif ($d['subperms'] === '' && $d['perms'] !== '' && in_array($o['perms'], array('lire', 'read'), true) && $o['subperms'] === '') {
			$mokoWanted[$oid] = true;
		}
	}
}
$api = new User($db);
$created = false;
if ($api->fetch(0, (string) $mokoInput['login'], '', 0, $mokoEntity) > 0 && !empty($api->id)) {
	if (!empty($api->admin) || (string) $api->firstname !== 'mokodeploy') {
		moko_fail('login '.$mokoInput['login'].' already exists and is not mokodeploy\\'s API user for '.$mokoInput['system'].' ('.(!empty($api->admin) ? 'an administrator' : 'someone else\\'s user').'): nothing changed');
		moko_api_finish();
	}
	// disabled in Dolibarr (User::setstatus(0), e.g. to cut the system off): not reopened behind anyone's back
	if ((int) $api->statut !== 1) {
		moko_fail('the API user '.$api->login.' of '.$mokoInput['system'].' is disabled in Dolibarr: nothing changed (enable it on its user card if the connection should work again, or take the connection out of the plan)');
		moko_api_finish();
	}
} else {
	$api = new User($db);
	$api->login = (string) $mokoInput['login'];
	$api->lastname = (string) $mokoInput['lastname'];
	$api->firstname = 'mokodeploy';
	$api->admin = 0;
	$api->entity = $mokoEntity;
	if ($api->create($user) <= 0) {
		moko_fail('create user '.$mokoInput['login'].': '.$api->error.' '.implode('; ', (array) $api->errors));
		moko_api_finish();
	}
	// a password nobody knows (CSPRNG, hashed by setPassword, never printed nor kept); if the site's password
	// policy refuses it, Dolibarr's own generator (getRandomPassword(), random_int) makes one that fits
	$alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
	$secret = '';
	for ($i = 0; $i < 40; $i++) {
		$secret .= $alphabet[random_int(0, strlen($alphabet) - 1)];
	}
	$res = $api->setPassword($user, $secret);
	if (is_int($res) && $res < 0) {
		$res = $api->setPassword($user, '');
	}
	$secret = null;
	if (is_int($res) && $res < 0) {
		moko_fail('set a random password for '.$mokoInput['login'].': '.$api->error);
		moko_api_finish();
	}
	$api = new User($db);
	$api->fetch(0, (string) $mokoInput['login'], '', 0, $mokoEntity);
	$created = true;
}
$current = function () use ($db, $api, $mokoEntity) {
	$ids = array();
	$res = $db->query("SELECT fk_id FROM ".MAIN_DB_PREFIX."user_rights WHERE fk_user = ".((int) $api->id)." AND entity = ".$mokoEntity);
	while ($res && ($o = $db->fetch_object($res))) {
		$ids[(int) $o->fk_id] = true;
	}
	return $ids;
};
$revoked = array();
foreach (array_keys($current()) as $id) {
	if (empty($mokoWanted[$id])) {
		if ($api->delrights($id, '', '', $mokoEntity) < 0) {
			moko_fail('revoke right '.$id.' from '.$api->login.': '.$api->error);
		}
		$revoked[] = isset($mokoDefs[$id]) ? moko_right_name($mokoDefs[$id]) : (string) $id;
	}
}
$granted = array();
$have = $current();
foreach (array_keys($mokoWanted) as $id) {
	if (empty($have[$id])) {
		if ($api->addrights($id, '', '', $mokoEntity) < 0) {
			moko_fail('grant right '.moko_right_name($mokoDefs[$id]).' to '.$api->login.': '.$api->error);
		}
		$granted[] = moko_right_name($mokoDefs[$id]);
	}
}
$final = array_keys($current());
sort($final);
$want = array_keys($mokoWanted);
sort($want);
if ($final !== $want) {
	moko_fail($api->login.' holds rights '.implode(',', $final).' after the changes, expected '.implode(',', $want));
}
$keyChanged = (string) $api->api_key !== (string) $mokoInput['key'];
if ($keyChanged) {
	$api->api_key = (string) $mokoInput['key'];
	if ($api->update($user) < 0) {
		moko_fail('store the API key of '.$api->login.': '.$api->error.' '.implode('; ', (array) $api->errors));
	}
}
$mokoResult['apiUser'] = array(
	'login' => $api->login,
	'id' => (int) $api->id,
	'entity' => $mokoEntity,
	'created' => $created,
	'rights' => array_map(function ($id) use ($mokoDefs) {
		return moko_right_name($mokoDefs[$id]);
	}, $want),
	'granted' => $granted,
	'revoked' => $revoked,
	'keyChanged' => $keyChanged,
);
$mokoResult['done'][] = $api->login;
moko_api_finish();
`);
