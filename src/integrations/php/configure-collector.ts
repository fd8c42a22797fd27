import { phpTool } from '../../dolibarr/php/bootstrap.js';

/**
 * Create or update one email collector through Dolibarr's own classes (htdocs/emailcollector/class/, 20.0.2):
 * EmailCollector::fetch($id, $ref) l.423, create() l.294 / update() l.514 (both dolEncrypt() the password),
 * fetchFilters() l.712 / fetchActions() l.744; EmailCollectorFilter::create() (emailcollectorfilter.class.php
 * l.151, refuses a missing value for types that need one) and EmailCollectorAction::create(); delete() of both.
 * The collector's ref is the plan's integration id; its filters and actions are replaced by the plan's.
 * Input: { htdocs, admin, collector: {ref, label, host, port, encryption, login, password, folder, targetFolder,
 * maxPerCollect, filters: [{type, value}], actions: [{type, param}]} }.
 */
export const configureCollectorPhp = phpTool(`
// Which IMAP client the collector can use here (doCollectOneCollector l.1083-1280): the PHP-IMAP library Dolibarr
// bundles (MAIN_IMAP_USE_PHPIMAP=1, certificate checked) when it runs on this PHP, else PHP's imap extension (=0,
// imap_open with /novalidate-cert). 19.0.4 bundles Carbon 2.61 unpatched: Carbon::parse() of any mail's Date header
// dies on PHP >= 8.2 (DateTime::getLastErrors() returns false there; 20.0.2 guards it, "@CHANGE" in
// includes/webklex/php-imap/vendor/nesbot/carbon/src/Carbon/Traits/Creator.php l.98-101). So: try it.
$mokoAutoload = DOL_DOCUMENT_ROOT.'/includes/webklex/php-imap/vendor/autoload.php';
$mokoImapWhy = '';
if (!is_file($mokoAutoload)) {
	$mokoImapWhy = 'this release has no includes/webklex/php-imap';
} else {
	require_once $mokoAutoload;
	try {
		\\Carbon\\Carbon::parse('Sun, 06 Dec 2026 08:47:00 +0000');
	} catch (\\Throwable $e) {
		$mokoImapWhy = 'its PHP-IMAP library fails on PHP '.PHP_VERSION.' ('.get_class($e).': '.$e->getMessage().')';
	}
}
if ($mokoImapWhy !== '' && !function_exists('imap_open')) {
	moko_fail('the email collector cannot read mail here: '.$mokoImapWhy.', and PHP has no imap extension (imap_open). Install php-imap for this PHP, or upgrade Dolibarr to 20 or later');
	moko_finish();
}
dolibarr_set_const($db, 'MAIN_IMAP_USE_PHPIMAP', $mokoImapWhy === '' ? '1' : '0', 'chaine', 0, '', 1);
$mokoResult['done'][] = $mokoImapWhy === '' ? 'IMAP through the bundled PHP-IMAP library' : 'IMAP through php-imap (imap_open, no certificate check): '.$mokoImapWhy;
require_once DOL_DOCUMENT_ROOT.'/emailcollector/class/emailcollector.class.php';
require_once DOL_DOCUMENT_ROOT.'/emailcollector/class/emailcollectorfilter.class.php';
require_once DOL_DOCUMENT_ROOT.'/emailcollector/class/emailcollectoraction.class.php';
$c = $mokoInput['collector'];
$collector = new EmailCollector($db);
$found = $collector->fetch(0, $c['ref']) > 0;
$collector->ref = $c['ref'];
$collector->label = $c['label'];
$collector->host = $c['host'];
$collector->port = (string) $c['port'];
$collector->imap_encryption = $c['encryption'];
$collector->hostcharset = 'UTF-8';
$collector->acces_type = 0;
$collector->login = $c['login'];
$collector->password = $c['password'];
$collector->source_directory = $c['folder'];
$collector->target_directory = $c['targetFolder'];
$collector->maxemailpercollect = (int) $c['maxPerCollect'];
$collector->status = 1;
$res = $found ? $collector->update($user) : $collector->create($user);
if ($res <= 0) {
	moko_fail('collector '.$c['ref'].': '.$collector->error.' '.implode('; ', (array) $collector->errors));
	moko_finish();
}
$mokoResult['done'][] = ($found ? 'updated' : 'created').' collector '.$c['ref'].' id '.$collector->id;
$collector->fetchFilters();
foreach ($collector->filters as $f) {
	$old = new EmailCollectorFilter($db);
	if ($old->fetch($f['id']) > 0 && $old->delete($user) < 0) {
		moko_fail('delete filter '.$f['id'].': '.$old->error);
	}
}
$collector->fetchActions();
foreach ($collector->actions as $a) {
	$old = new EmailCollectorAction($db);
	if ($old->fetch($a['id']) > 0 && $old->delete($user) < 0) {
		moko_fail('delete action '.$a['id'].': '.$old->error);
	}
}
foreach ($c['filters'] as $f) {
	$filter = new EmailCollectorFilter($db);
	$filter->fk_emailcollector = $collector->id;
	$filter->type = $f['type'];
	$filter->rulevalue = $f['value'];
	$filter->status = 1;
	if ($filter->create($user) <= 0) {
		moko_fail('filter '.$f['type'].': '.$filter->error.' '.implode('; ', (array) $filter->errors));
	}
}
foreach ($c['actions'] as $i => $a) {
	$action = new EmailCollectorAction($db);
	$action->fk_emailcollector = $collector->id;
	$action->type = $a['type'];
	$action->actionparam = $a['param'];
	$action->status = 1;
	$action->position = $i + 1;
	if ($action->create($user) <= 0) {
		moko_fail('action '.$a['type'].': '.$action->error.' '.implode('; ', (array) $action->errors));
	}
}
$mokoResult['done'][] = count($c['filters']).' filters, '.count($c['actions']).' actions';
`);
