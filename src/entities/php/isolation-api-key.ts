import { phpTool } from '../../dolibarr/php/bootstrap.js';

/**
 * A temporary REST API key for the user the isolation check acts as (issue 18), set through `User::update()`
 * (user/class/user.class.php l.2111, 20.0.2: stored with dolEncrypt(), as the user card does), because the login
 * endpoint gives a key only to a user that has one or may edit itself (api_login.class.php, 403 "No API token set
 * for this user…"). `key` '' removes it again. The key comes on stdin only. Run with the user's `entity`.
 * Input: { htdocs, admin, entity, login, key }.
 */
export const isolationApiKeyPhp = phpTool(`
$target = new User($db);
if ($target->fetch(0, (string) $mokoInput['login'], '', 0, (int) $conf->entity) <= 0 || empty($target->id)) {
	moko_fail('user '.$mokoInput['login'].' not found in entity '.$conf->entity);
	moko_finish();
}
$target->api_key = (string) ($mokoInput['key'] ?? '');
if ($target->update($user) < 0) {
	moko_fail('set the API key of '.$target->login.': '.$target->error);
}
`);
