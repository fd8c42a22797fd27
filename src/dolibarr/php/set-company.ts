import { phpTool } from './bootstrap.js';

/**
 * Set the company (mysoc) as htdocs/admin/company.php does on save (l.76-121, 20.0.2):
 * MAIN_INFO_SOCIETE_COUNTRY = "id:code:label" from llx_c_country, then activateModulesRequiredByCountry(),
 * MAIN_INFO_SOCIETE_NOM/ADDRESS/ZIP/TOWN/TEL/MAIL, MAIN_MONNAIE. htdocs/index.php (l.59-62) keeps redirecting
 * to the setup page until NOM and COUNTRY are set.
 * Input: { htdocs, admin, company: { name, country, address?, zip?, town?, phone?, email?, currency? } }.
 */
export const setCompanyPhp = phpTool(`
$company = $mokoInput['company'];
$sql = "SELECT rowid, code, label FROM ".MAIN_DB_PREFIX."c_country WHERE code = '".$db->escape($company['country'])."'";
$resql = $db->query($sql);
$country = $resql ? $db->fetch_object($resql) : null;
if (!$country) {
	moko_fail('unknown country code '.$company['country']);
	moko_finish();
}
$entity = (int) $conf->entity;
$values = array(
	'MAIN_INFO_SOCIETE_NOM' => $company['name'],
	'MAIN_INFO_SOCIETE_COUNTRY' => $country->rowid.':'.$country->code.':'.$country->label,
	'MAIN_INFO_SOCIETE_ADDRESS' => $company['address'] ?? null,
	'MAIN_INFO_SOCIETE_ZIP' => $company['zip'] ?? null,
	'MAIN_INFO_SOCIETE_TOWN' => $company['town'] ?? null,
	'MAIN_INFO_SOCIETE_TEL' => $company['phone'] ?? null,
	'MAIN_INFO_SOCIETE_MAIL' => $company['email'] ?? null,
	'MAIN_MONNAIE' => $company['currency'] ?? null,
);
foreach ($values as $name => $value) {
	if ($value === null) {
		continue;
	}
	if (dolibarr_set_const($db, $name, (string) $value, 'chaine', 0, '', $entity) < 0) {
		moko_fail('dolibarr_set_const '.$name.': '.$db->lasterror());
	} else {
		$mokoResult['done'][] = $name;
	}
}
if (function_exists('activateModulesRequiredByCountry')) {
	activateModulesRequiredByCountry($country->code);
}
`);
