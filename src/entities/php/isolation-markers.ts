import { phpTool } from '../../dolibarr/php/bootstrap.js';

/**
 * Marker records for the isolation check (issue 18), in the current entity, through the business classes so the
 * `entity` column is what Dolibarr itself writes (`Societe::create()`, `Contact::create()`, `Product::create()`
 * take `$conf->entity`): one third party, one contact of it, one product, named after `tag`.
 * action "create" → done: [{ entity, thirdparty, contact, product }] ids; action "delete" removes those ids with
 * plain DELETEs of the marker rows only (Product::delete() is refused on a fresh 20.0.2, DOLIBARR-NOTES issue 6).
 * Input: { htdocs, admin, entity, action, tag, ids? }.
 */
export const isolationMarkersPhp = phpTool(`
require_once DOL_DOCUMENT_ROOT.'/societe/class/societe.class.php';
require_once DOL_DOCUMENT_ROOT.'/contact/class/contact.class.php';
require_once DOL_DOCUMENT_ROOT.'/product/class/product.class.php';
$tag = preg_replace('/[^A-Za-z0-9-]/', '', (string) ($mokoInput['tag'] ?? ''));
if ($tag === '') {
	moko_fail('a tag (letters, digits, -) is needed');
	moko_finish();
}
if (($mokoInput['action'] ?? '') === 'delete') {
	$ids = $mokoInput['ids'] ?? array();
	foreach (array('socpeople' => 'contact', 'societe' => 'thirdparty', 'product' => 'product') as $table => $key) {
		if (!empty($ids[$key])) {
			$db->query("DELETE FROM ".MAIN_DB_PREFIX.$table." WHERE rowid = ".((int) $ids[$key])." AND entity = ".((int) $conf->entity));
		}
	}
	moko_finish();
}
$name = 'mokodeploy isolation '.$tag;
$soc = new Societe($db);
$soc->name = $name;
$soc->client = 1;
$soc->code_client = -1;
$socid = $soc->create($user);
if ($socid <= 0) {
	moko_fail('create third party: '.$soc->error.' '.implode('; ', (array) $soc->errors));
	moko_finish();
}
$contact = new Contact($db);
$contact->socid = $socid;
$contact->lastname = $name;
$contactid = $contact->create($user);
$product = new Product($db);
$product->ref = 'MOKOISO-'.$tag;
$product->label = $name;
$product->type = 0;
$productid = $product->create($user);
if ($contactid <= 0 || $productid <= 0) {
	moko_fail('create contact/product: '.$contact->error.' '.$product->error);
}
$mokoResult['done'][] = array('entity' => (int) $conf->entity, 'name' => $name, 'ref' => $product->ref, 'thirdparty' => (int) $socid, 'contact' => (int) $contactid, 'product' => (int) $productid);
`);
