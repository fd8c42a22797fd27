import { phpTool } from '../../dolibarr/php/bootstrap.js';

/**
 * Run one collector once, as Dolibarr's cron job does (modEmailCollector's job calls EmailCollector::doCollect(),
 * which calls doCollectOneCollector(0) for each active collector: emailcollector.class.php l.844-870, l.1075),
 * then read what it recorded: its codelastresult / lastresult (l.3654-3675) and the agenda events the run added
 * (llx_actioncomm rows with email_msgid, written by the recordevent operation l.2792-2870).
 * The cron context loads core/lib/date.lib.php (cron/class/cronjob.class.php l.29), which doCollectOneCollector needs
 * (dol_stringtotime, l.2010): without it real 20.0.2 dies with "Call to undefined function dol_stringtotime()".
 * Input: { htdocs, admin, ref }. Output: the usual result plus {code, lastresult, events: [{id, msgid, label}]}.
 */
export const runCollectorPhp = phpTool(`
require_once DOL_DOCUMENT_ROOT.'/core/lib/date.lib.php';
require_once DOL_DOCUMENT_ROOT.'/emailcollector/class/emailcollector.class.php';
$collector = new EmailCollector($db);
if ($collector->fetch(0, $mokoInput['ref']) <= 0) {
	moko_fail('no email collector '.$mokoInput['ref'].': configure it first');
	moko_finish();
}
$max = $db->query('SELECT MAX(id) AS m FROM '.MAIN_DB_PREFIX.'actioncomm');
$before = ($max && ($o = $db->fetch_object($max))) ? (int) $o->m : 0;
$res = $collector->doCollectOneCollector(0);
$mokoResult['code'] = $collector->codelastresult;
$mokoResult['lastresult'] = strip_tags(str_replace('<br>', ' ', (string) $collector->lastresult));
$mokoResult['events'] = array();
$new = $db->query('SELECT id, email_msgid, label FROM '.MAIN_DB_PREFIX.'actioncomm WHERE id > '.$before.' ORDER BY id');
while ($new && ($o = $db->fetch_object($new))) {
	$mokoResult['events'][] = array('id' => (int) $o->id, 'msgid' => $o->email_msgid, 'label' => $o->label);
}
if ($res < 0 || $collector->codelastresult !== 'OK') {
	moko_fail('collector '.$mokoInput['ref'].': '.strip_tags(str_replace('<br>', ' ', $collector->error.' '.implode(' ', (array) $collector->errors))));
} else {
	$mokoResult['done'][] = 'collected: '.$mokoResult['lastresult'];
}
`);
