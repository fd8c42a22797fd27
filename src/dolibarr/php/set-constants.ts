import { phpTool } from './bootstrap.js';

/**
 * Set Dolibarr constants through Dolibarr's own `dolibarr_set_const($db, $name, $value, $type, $visible, $note, $entity)`
 * (htdocs/core/lib/admin.lib.php l.656), never by raw SQL, so value encryption and caches stay right.
 * Input: { htdocs, admin, constants: [{ name, value, type?, entity? }] }.
 */
export const setConstantsPhp = phpTool(`
foreach ($mokoInput['constants'] ?? array() as $c) {
	$entity = isset($c['entity']) ? (int) $c['entity'] : (int) $conf->entity;
	$res = dolibarr_set_const($db, $c['name'], (string) $c['value'], $c['type'] ?? 'chaine', 0, '', $entity);
	if ($res < 0) {
		moko_fail('dolibarr_set_const '.$c['name'].': '.$db->lasterror());
	} else {
		$mokoResult['done'][] = $c['name'];
	}
}
`);
