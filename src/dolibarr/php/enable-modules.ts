import { phpTool } from './bootstrap.js';

/**
 * Enable modules with Dolibarr's `activateModule($value, $withdeps = 1)` (htdocs/core/lib/admin.lib.php
 * l.1125-1260, 20.0.2): it checks phpmin / need_dolibarr_version, enables `depends`, then `$objMod->init()`
 * (module SQL, constants, rights, menus, boxes, cron jobs). Inserting MAIN_MODULE_X=1 by SQL is not equivalent.
 * Already enabled modules are skipped by activateModule itself (const check), so re-runs are harmless.
 * Input: { htdocs, admin, modules: ['modSociete', ...] }.
 */
export const enableModulesPhp = phpTool(`
foreach ($mokoInput['modules'] ?? array() as $module) {
	if (!preg_match('/^mod[A-Za-z0-9_]+$/', $module)) {
		moko_fail('not a module class name: '.$module);
		continue;
	}
	$res = activateModule($module);
	if (!empty($res['errors'])) {
		moko_fail($module.': '.implode('; ', $res['errors']));
		continue;
	}
	// activateModule() reports no error when a descriptor forgets const_name: check the module is really on
	$const = 'MAIN_MODULE_'.strtoupper(preg_replace('/^mod/i', '', $module));
	$resql = $db->query("SELECT value FROM ".MAIN_DB_PREFIX."const WHERE name = '".$db->escape($const)."' AND entity IN (0, ".((int) $conf->entity).")");
	if (!$resql || !$db->fetch_object($resql)) {
		moko_fail($module.': not enabled after activateModule() ('.$const.' missing; does the descriptor set const_name?)');
	} else {
		$mokoResult['done'][] = $module;
	}
}
`);
