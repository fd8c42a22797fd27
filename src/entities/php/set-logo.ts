import { phpTool } from '../../dolibarr/php/bootstrap.js';

/**
 * Set the logo of the current entity as htdocs/admin/company.php does after an upload (l.123-175, 20.0.2): the
 * file is already in `$conf->mycompany->dir_output/logos/` (for an entity N > 1 that is DATA_ROOT/N/mycompany,
 * conf.class.php l.550-551, copied there by the step), MAIN_INFO_SOCIETE_LOGO = its name, and the _small / _mini
 * thumbs made by vignette() (core/lib/images.lib.php) go to MAIN_INFO_SOCIETE_LOGO_SMALL / _MINI. MAIN_SHOW_LOGO
 * shows the squarred logo's mini thumb in the menu (core/menus/standard/eldy.lib.php l.557-570): set to the same file. Run with `entity`.
 * Input: { htdocs, admin, entity, logo: "<file name>" }.
 */
export const setLogoPhp = phpTool(`
require_once DOL_DOCUMENT_ROOT.'/core/lib/images.lib.php';
$name = basename((string) ($mokoInput['logo'] ?? ''));
$dir = $conf->mycompany->dir_output.'/logos/';
if ($name === '' || !is_file($dir.$name) || image_format_supported($name) < 0) {
	moko_fail('logo '.$dir.$name.' is missing or not an image Dolibarr supports (png, jpg)');
	moko_finish();
}
$sizes = function_exists('getDefaultImageSizes') ? getDefaultImageSizes() : array('maxwidthsmall' => 160, 'maxheightsmall' => 120, 'maxwidthmini' => 100, 'maxheightmini' => 26, 'quality' => 50);
// The menu shows the squarred logo's mini thumb (eldy.lib.php l.566-567): the same file serves as both
$values = array('MAIN_INFO_SOCIETE_LOGO' => $name, 'MAIN_INFO_SOCIETE_LOGO_SQUARRED' => $name, 'MAIN_SHOW_LOGO' => '1');
foreach (array('_SMALL' => array('_small', 'maxwidthsmall', 'maxheightsmall'), '_MINI' => array('_mini', 'maxwidthmini', 'maxheightmini')) as $suffix => $v) {
	$thumb = vignette($dir.$name, $sizes[$v[1]], $sizes[$v[2]], $v[0], $sizes['quality']);
	// vignette() returns the thumb's path even when it could not write it (a directory the web user cannot write)
	if (image_format_supported($thumb) < 0 || !is_file($thumb) || !preg_match('/([^\\\\/:]+)$/', $thumb, $reg)) {
		moko_fail('thumb '.$v[0].' of '.$name.': '.$thumb);
		continue;
	}
	$values['MAIN_INFO_SOCIETE_LOGO'.$suffix] = $reg[1];
	$values['MAIN_INFO_SOCIETE_LOGO_SQUARRED'.$suffix] = $reg[1];
}
foreach ($values as $const => $value) {
	if (dolibarr_set_const($db, $const, $value, 'chaine', 0, '', (int) $conf->entity) < 0) {
		moko_fail('dolibarr_set_const '.$const.': '.$db->lasterror());
	} else {
		$mokoResult['done'][] = $const;
	}
}
`);
