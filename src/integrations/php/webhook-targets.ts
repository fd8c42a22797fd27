import { phpTool } from '../../dolibarr/php/bootstrap.js';

/**
 * Write the plan's webhook targets through Dolibarr's own class (htdocs/webhook/class/target.class.php, 19.0.4 and
 * 20.0.2): Target::fetchAll() (l.396, 20.0.2), create() l.243 (createCommon), fetch() l.360, update() l.458 (strips
 * blanks from trigger_codes), delete() l.473. Ours are the rows whose ref starts with the given prefix; each is
 * created, updated only when it differs (url, label, trigger_codes, status), left alone when equal, and removed when
 * the plan no longer has it. Trigger codes are first checked against llx_c_action_trigger, the list Dolibarr 20's
 * target card offers (Target::initListOfTriggers() l.207-236); nothing is written when one is unknown.
 * With no target to keep (a plan without webhooks) every one of ours is removed, and a missing table is nothing to do.
 * Input: { htdocs, admin, prefix, targets: [{ref, label, url, codes: []}] }.
 * Output: the usual result plus targets: [{ref, id, action: created|updated|unchanged|removed}].
 */
export const webhookTargetsPhp = phpTool(`
if (!is_file(DOL_DOCUMENT_ROOT.'/webhook/class/target.class.php')) {
	moko_fail('this Dolibarr has no webhook module (htdocs/webhook/ ships with Dolibarr 17 and later)');
	moko_finish();
}
require_once DOL_DOCUMENT_ROOT.'/webhook/class/target.class.php';
$prefix = (string) $mokoInput['prefix'];
if (!count($mokoInput['targets']) && !$db->query('SELECT rowid FROM '.MAIN_DB_PREFIX.'webhook_target WHERE 1 = 0')) {
	// only removing (the plan has no webhook): no table, as when module Webhook was never enabled, means nothing to remove
	$mokoResult['targets'] = array();
	$mokoResult['done'][] = 'no webhook target table: nothing to remove';
	moko_finish();
}
$known = array();
$resql = $db->query('SELECT code FROM '.MAIN_DB_PREFIX.'c_action_trigger');
while ($resql && ($o = $db->fetch_object($resql))) {
	$known[$o->code] = true;
}
$mokoResult['knownCodes'] = count($known);
if (count($known)) {
	$unknown = array();
	foreach ($mokoInput['targets'] as $t) {
		foreach ($t['codes'] as $code) {
			if (!isset($known[$code])) {
				// the known codes of the same object (the word before the first _), as a hint
				$near = preg_grep('/^'.preg_quote(strtok($code, '_'), '/').'_/', array_keys($known));
				$unknown[] = $t['ref'].': '.$code.($near ? ' (known: '.implode(', ', array_slice($near, 0, 8)).')' : '');
			}
		}
	}
	if ($unknown) {
		moko_fail('trigger codes this Dolibarr does not know (llx_c_action_trigger): '.implode('; ', $unknown).'. Fix the webhook triggers in the plan: the codes are those the target card of module Webhook offers');
		moko_finish();
	}
}
$static = new Target($db);
$all = $static->fetchAll();
if (!is_array($all)) {
	moko_fail('reading the webhook targets: '.$static->error.' '.implode('; ', (array) $static->errors));
	moko_finish();
}
$ours = array();
foreach ($all as $row) {
	if (strpos((string) $row->ref, $prefix) === 0) {
		$ours[(string) $row->ref] = $row;
	}
}
$mokoResult['targets'] = array();
foreach ($mokoInput['targets'] as $t) {
	$codes = implode(',', $t['codes']);
	$row = isset($ours[$t['ref']]) ? $ours[$t['ref']] : null;
	unset($ours[$t['ref']]);
	if ($row && $row->url === $t['url'] && (string) $row->trigger_codes === $codes && (int) $row->status === Target::STATUS_VALIDATED && (string) $row->label === $t['label']) {
		$mokoResult['targets'][] = array('ref' => $t['ref'], 'id' => (int) $row->id, 'action' => 'unchanged');
		continue;
	}
	$target = new Target($db);
	if ($row && $target->fetch($row->id) <= 0) {
		moko_fail($t['ref'].': cannot read it back ('.$target->error.')');
		continue;
	}
	$target->ref = $t['ref'];
	$target->label = $t['label'];
	$target->url = $t['url'];
	$target->trigger_codes = $codes;
	$target->status = Target::STATUS_VALIDATED;
	$res = $row ? $target->update($user) : $target->create($user);
	if ($res <= 0) {
		moko_fail($t['ref'].': '.$target->error.' '.implode('; ', (array) $target->errors));
		continue;
	}
	$mokoResult['targets'][] = array('ref' => $t['ref'], 'id' => (int) $target->id, 'action' => $row ? 'updated' : 'created');
}
foreach ($ours as $ref => $row) {
	$target = new Target($db);
	if ($target->fetch($row->id) <= 0 || $target->delete($user) <= 0) {
		moko_fail($ref.': could not remove it ('.$target->error.')');
		continue;
	}
	$mokoResult['targets'][] = array('ref' => $ref, 'id' => (int) $row->id, 'action' => 'removed');
}
foreach ($mokoResult['targets'] as $r) {
	$mokoResult['done'][] = $r['action'].' webhook target '.$r['ref'];
}
`);
