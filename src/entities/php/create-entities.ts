import { phpTool } from '../../dolibarr/php/bootstrap.js';

/**
 * Create the plan's entities through the multicompany module's own class, as its admin page's action "add" does
 * (multicompany `class/actions_multicompany.class.php` doAdminActions() l.1092-1308, module 18.0.7):
 * superadmin only; a label already used is refused; `DaoMulticompany::create($user)`
 * (`class/dao_multicompany.class.php` l.180-256) inserts the llx_entity row and returns its id; then the
 * module's init SQL for const and boxes_def is loaded into the new entity when the copy ships it
 * (`getSqlInitFilePath()`, `lib/multicompany.lib.php` l.187). Company constants are set afterwards in the
 * entity itself (set-company.php run with `entity`). An entity already there with the same label is left as
 * it is (a re-run); one with another label, or a new id other than the plan's, is an error. The master entity 1
 * (made by the module when enabled, labelled "Master entity") gets the plan's label and description, when the plan
 * lists it, through DaoMulticompany::update(); nothing is written when they are already the plan's.
 * Input: { htdocs, admin, entities: [{ id, label, description? }] } (1 first when listed, then 2.., in order).
 */
export const createEntitiesPhp = phpTool(`
if (!isModEnabled('multicompany') || !dol_include_once('/multicompany/class/dao_multicompany.class.php') || !class_exists('DaoMulticompany')) {
	moko_fail('the multicompany module is not enabled: install it as a custom module and enable modMultiCompany first');
	moko_finish();
}
dol_include_once('/multicompany/lib/multicompany.lib.php');
if (empty($user->admin) || !empty($user->entity)) {
	moko_fail('user '.$user->login.' is not a superadmin (admin of entity 0): only a superadmin creates entities');
	moko_finish();
}
foreach ($mokoInput['entities'] ?? array() as $e) {
	$id = (int) $e['id'];
	if ($id === 1) {
		// The master entity exists since the module was enabled (setFirstEntity(), label trans("MasterEntity")):
		// the plan's label replaces it as the admin page's action "update" does (l.1324-1400): the label unused by
		// any other entity, then DaoMulticompany::fetch() and update() (dao l.116-170, l.258-321), which keeps the
		// entity's options and clears the module's cache of it.
		$resql = $db->query("SELECT rowid FROM ".MAIN_DB_PREFIX."entity WHERE rowid <> 1 AND LOWER(label) = '".$db->escape(strtolower($e['label']))."'");
		if ($resql && ($other = $db->fetch_object($resql))) {
			moko_fail('the label "'.$e['label'].'" is already entity '.$other->rowid.' (the plan gives it to the master entity 1)');
			continue;
		}
		$dao = new DaoMulticompany($db);
		if ($dao->fetch(1) < 0) {
			moko_fail('the master entity 1 is not in llx_entity: '.$dao->error);
			continue;
		}
		$description = isset($e['description']) ? $e['description'] : (string) $dao->description;
		if ($dao->label === $e['label'] && (string) $dao->description === $description) {
			$mokoResult['done'][] = 'entity 1 already labelled';
			continue;
		}
		$dao->label = $e['label'];
		$dao->description = $description;
		if ($dao->update(1, $user) <= 0) {
			moko_fail('label of entity 1: '.$dao->error.' '.implode('; ', (array) $dao->errors));
			continue;
		}
		$mokoResult['done'][] = 'entity 1 labelled';
		continue;
	}
	$resql = $db->query("SELECT rowid, label FROM ".MAIN_DB_PREFIX."entity WHERE rowid = ".$id);
	$row = $resql ? $db->fetch_object($resql) : null;
	if ($row) {
		if (strtolower($row->label) !== strtolower($e['label'])) {
			moko_fail('entity '.$id.' exists with the label "'.$row->label.'", the plan says "'.$e['label'].'"');
		} else {
			$mokoResult['done'][] = 'entity '.$id.' already there';
		}
		continue;
	}
	$resql = $db->query("SELECT rowid FROM ".MAIN_DB_PREFIX."entity WHERE LOWER(label) = '".$db->escape(strtolower($e['label']))."'");
	if ($resql && ($other = $db->fetch_object($resql))) {
		moko_fail('the label "'.$e['label'].'" is already entity '.$other->rowid.' (the plan gives it id '.$id.')');
		continue;
	}
	$dao = new DaoMulticompany($db);
	$dao->label = $e['label'];
	$dao->description = $e['description'] ?? '';
	$dao->visible = 1;
	$dao->active = 1;
	$dao->options = array();
	$newid = $dao->create($user);
	if ($newid <= 0) {
		moko_fail('create entity '.$e['label'].': '.$dao->error.' '.implode('; ', (array) $dao->errors));
		break;
	}
	if ((int) $newid !== $id) {
		moko_fail('entity "'.$e['label'].'" was created with id '.$newid.', the plan says '.$id.': renumber the plan\\'s entities from '.$newid);
		break;
	}
	if (function_exists('getSqlInitFilePath')) {
		foreach (array('const', 'boxes_def') as $init) {
			$file = getSqlInitFilePath($init);
			if ($file && is_file($file)) {
				run_sql($file, 1, $id);
			}
		}
	}
	$mokoResult['done'][] = 'entity '.$id.' created';
}
`);
