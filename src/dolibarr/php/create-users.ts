import { phpTool } from './bootstrap.js';

/**
 * Create (or update) users through Dolibarr's User class (htdocs/user/class/user.class.php: create() l.1632,
 * setPassword() l.2393, addrights($rid, $allmodule, $allperms) l.927, 20.0.2), so passwords are hashed
 * with MAIN_SECURITY_HASH_ALGO (password_hash, set by install/step5.php) and triggers run.
 * A right "societe.lire" is every llx_rights_def row of module societe, perms lire, added by id; "societe.client.voir"
 * names the sub-permission too; "societe" alone grants all rights of the module.
 * Input: { htdocs, admin, users: [{ login, lastname, firstname?, email?, admin, password, rights: [] }] } —
 * passwords arrive on stdin only.
 */
export const createUsersPhp = phpTool(`
foreach ($mokoInput['users'] ?? array() as $u) {
	$target = new User($db);
	$found = $target->fetch(0, $u['login'], '', 0, -1);
	if ($found <= 0 || empty($target->id)) {
		$target = new User($db);
		$target->login = $u['login'];
		$target->lastname = $u['lastname'];
		$target->firstname = $u['firstname'] ?? '';
		$target->email = $u['email'] ?? '';
		$target->admin = empty($u['admin']) ? 0 : 1;
		$target->entity = empty($u['admin']) ? (int) $conf->entity : 0;
		if ($target->create($user) <= 0) {
			moko_fail('create user '.$u['login'].': '.$target->error.' '.implode('; ', (array) $target->errors));
			continue;
		}
	}
	// setPassword() returns the new password, or a negative number on error
	$res = $target->setPassword($user, $u['password']);
	if (is_int($res) && $res < 0) {
		moko_fail('set password of '.$u['login'].': '.$target->error);
		continue;
	}
	foreach ($u['rights'] ?? array() as $right) {
		// module.perms[.subperms]: each matching right by id (addrights($rid), as the user's permission page does),
		// since addrights(0, $module, $perms) cannot name a sub-permission such as societe.client.voir; the rights
		// of the current entity (a module enabled there), addrights() adds in $conf->entity (l.931)
		$parts = explode('.', $right, 3);
		$sql = "SELECT id FROM ".MAIN_DB_PREFIX."rights_def WHERE module = '".$db->escape($parts[0])."' AND entity IN (0, ".((int) $conf->entity).")";
		if (isset($parts[1])) {
			$sql .= " AND perms = '".$db->escape($parts[1])."'";
		}
		if (isset($parts[2])) {
			$sql .= " AND subperms = '".$db->escape($parts[2])."'";
		}
		$known = $db->query($sql);
		$ids = array();
		while ($known && ($o = $db->fetch_object($known))) {
			$ids[] = (int) $o->id;
		}
		// addrights() silently adds nothing for an unknown right: check it exists (module enabled, right declared)
		if (empty($ids)) {
			moko_fail('unknown right '.$right.' (is its module enabled?)');
			continue;
		}
		foreach (array_unique($ids) as $rid) {
			if ($target->addrights($rid) < 0) {
				moko_fail('add right '.$right.' to '.$u['login'].': '.$target->error);
			}
		}
	}
	$mokoResult['done'][] = $u['login'];
}
`);
