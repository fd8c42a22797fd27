import { phpTool } from '../../dolibarr/php/bootstrap.js';

/**
 * Fire a real event through Dolibarr for the plan's webhook targets: a test third party created with
 * Societe::create() (COMPANY_CREATE, societe.class.php l.1060 in 20.0.2) and deleted with Societe::delete()
 * (COMPANY_DELETE, l.2174), so every enabled trigger runs as in production. The Webhook module's trigger
 * (core/triggers/interface_95_modWebhook_WebhookTriggers.class.php) posts {"triggercode", "object"} as JSON with
 * getURLContent() to each target listing the code and returns < 0 when one does not answer 2xx, which makes
 * create()/delete() roll back and return < 0 with the trigger's message in ->errors: that is the verdict.
 * A target listing neither code is not sent a made-up business event: Dolibarr's own getURLContent() (the function
 * the trigger posts with, core/lib/geturl.lib.php) GETs its URL, and any HTTP answer counts as reached.
 * Each target's row is checked first (exists, enabled, the planned url and codes).
 * Input: { htdocs, admin, name, targets: [{ref, url, codes: []}] }.
 * Output: the usual result plus fired: [codes], reached: [{ref, httpCode}].
 */
export const webhookCheckPhp = phpTool(`
require_once DOL_DOCUMENT_ROOT.'/webhook/class/target.class.php';
require_once DOL_DOCUMENT_ROOT.'/societe/class/societe.class.php';
require_once DOL_DOCUMENT_ROOT.'/core/lib/geturl.lib.php';
if (!isModEnabled('webhook')) {
	moko_fail('module Webhook is not enabled: configure the webhooks first');
	moko_finish();
}
$listeners = array('COMPANY_CREATE' => 0, 'COMPANY_DELETE' => 0);
$others = array();
foreach ($mokoInput['targets'] as $t) {
	$target = new Target($db);
	if ($target->fetch(0, $t['ref']) <= 0) {
		moko_fail($t['ref'].': no such webhook target: configure the webhooks first');
		continue;
	}
	if ((int) $target->status !== Target::STATUS_VALIDATED || $target->url !== $t['url'] || (string) $target->trigger_codes !== implode(',', $t['codes'])) {
		moko_fail($t['ref'].': the target differs from the plan (status '.$target->status.', '.$target->url.', '.$target->trigger_codes.'): configure the webhooks again');
		continue;
	}
	$hit = false;
	foreach (array_keys($listeners) as $code) {
		if (in_array($code, $t['codes'], true)) {
			$listeners[$code]++;
			$hit = true;
		}
	}
	if (!$hit) {
		$others[] = $t;
	}
}
if (!$mokoResult['ok']) {
	moko_finish();
}
$mokoResult['fired'] = array();
if ($listeners['COMPANY_CREATE'] + $listeners['COMPANY_DELETE'] > 0) {
	$soc = new Societe($db);
	$soc->name = (string) $mokoInput['name'];
	$soc->client = 0;
	$soc->fournisseur = 0;
	$id = $soc->create($user);
	if ($id <= 0) {
		moko_fail('the test event COMPANY_CREATE failed: '.$soc->error.' '.implode('; ', (array) $soc->errors));
		moko_finish();
	}
	$mokoResult['fired'][] = 'COMPANY_CREATE';
	if ($soc->delete($id, $user) <= 0) {
		moko_fail('the test event COMPANY_DELETE failed: '.$soc->error.' '.implode('; ', (array) $soc->errors).'; the test third party "'.$soc->name.'" (id '.$id.') is left: delete it in Dolibarr');
		moko_finish();
	}
	$mokoResult['fired'][] = 'COMPANY_DELETE';
	$mokoResult['done'][] = 'third party "'.$soc->name.'" created then deleted: every target listening to COMPANY_CREATE / COMPANY_DELETE answered 2xx';
}
$mokoResult['reached'] = array();
foreach ($others as $t) {
	$r = getURLContent($t['url'], 'GET', '', 0, array(), array('http', 'https'), 2, -1);
	$code = empty($r['http_code']) ? 0 : (int) $r['http_code'];
	if (!empty($r['curl_error_no']) || $code === 0 || ($code === 400 && strpos((string) $r['content'], 'Error') === 0)) {
		moko_fail($t['ref'].': '.$t['url'].' not reached from the site: '.(empty($r['curl_error_msg']) ? (string) $r['content'] : $r['curl_error_msg']));
		continue;
	}
	$mokoResult['reached'][] = array('ref' => $t['ref'], 'httpCode' => $code);
	$mokoResult['done'][] = $t['ref'].': '.$t['url'].' answered HTTP '.$code.' (it listens to no third-party event: no event sent)';
}
`);
