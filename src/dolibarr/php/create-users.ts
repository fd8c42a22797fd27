import { phpTool } from './bootstrap.js';

/**
 * Create (or update) users through Dolibarr's User class (htdocs/user/class/user.class.php: create() l.1632,
 * setPassword() l.2393, addrights($rid, $allmodule, $allperms) l.927, 20.0.2), so passwords are hashed
 * with MAIN_SECURITY_HASH_ALGO (password_hash, set by install/step5.php) and triggers run.
 * A right "societe.lire" is addrights(0, 'societe', 'lire'); "societe" alone grants all rights of the module.
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
		$parts = explode('.', $right, 2);
		// addrights() silently adds nothing for an unknown right: check it exists (module enabled, right declared)
		$known = $db->query("SELECT id FROM ".MAIN_DB_PREFIX."rights_def WHERE module = '".$db->escape($parts[0])."'".(isset($parts[1]) ? " AND perms = '".$db->escape($parts[1])."'" : ''));
		if (!$known || !$db->fetch_object($known)) {
			moko_fail('unknown right '.$right.' (is its module enabled?)');
			continue;
		}
		if ($target->addrights(0, $parts[0], $parts[1] ?? '') < 0) {
			moko_fail('add right '.$right.' to '.$u['login'].': '.$target->error);
		}
	}
	$mokoResult['done'][] = $u['login'];
}
`);
