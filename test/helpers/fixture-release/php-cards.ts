/**
 * Fixture release: the create / view / delete cards of third parties, contacts and products, what `verify` uses
 * through Chromium when the REST API is off. Not Dolibarr code; it imitates the contract (20.0.2) of
 * societe/card.php (form name="formsoc" with hidden action=add and token l.1206-1208, required name l.281, client
 * l.285-286, redirect to card.php?socid=<id>; confirm_delete&confirm=yes l.788-795 then list.php),
 * contact/card.php (action=add l.203, lastname l.689, redirect to card.php?id=<id> l.314; confirm_delete l.321),
 * product/card.php (action=add l.489, ref/label required l.493-499, l.1350-1401; confirm_delete l.1004),
 * core/class/html.form.class.php buttonsSaveCancel() (input type=submit named save, or add for Create/Add) and main.inc.php's CSRF check
 * (an action must carry the token of the previous page, l.600-705).
 */
const banner = (what: string) =>
  `<?php\n// mokodeploy fixture release: ${what}. Not Dolibarr code; imitates its contract only.\n`;

interface CardSpec {
  file: string;
  title: string;
  table: string;
  idParam: string;
  /** form field -> column; the first is the label shown */
  fields: Record<string, string>;
  required: string[];
  /** buttonsSaveCancel()'s submit name: 'add' for the labels Create/Add, else 'save' (html.form.class.php l.11117-11125) */
  button: 'save' | 'add';
  /** extra columns for the insert: form field from the query string (contact's socid) */
  fromQuery?: Record<string, string>;
}

const specs: Record<string, CardSpec> = {
  societe: {
    file: 'htdocs/societe/card.php',
    title: 'NewThirdParty',
    table: 'societe',
    idParam: 'socid',
    fields: { name: 'nom', client: 'client' },
    required: ['name'],
    button: 'save',
  },
  contact: {
    file: 'htdocs/contact/card.php',
    title: 'NewContact',
    table: 'socpeople',
    idParam: 'id',
    fields: { lastname: 'lastname', firstname: 'firstname' },
    required: ['lastname'],
    button: 'add',
    fromQuery: { socid: 'fk_soc' },
  },
  product: {
    file: 'htdocs/product/card.php',
    title: 'NewProduct',
    table: 'product',
    idParam: 'id',
    fields: { ref: 'ref', label: 'label' },
    required: ['ref', 'label'],
    button: 'add',
  },
};

/** The English labels of the create forms' fields (langs/en_US: ThirdPartyName, LastName, FirstName, ProductRef, Label). */
const labels: Record<string, string> = {
  name: 'Third-party name',
  lastname: 'Last name',
  firstname: 'First name',
  ref: 'Product ref.',
  label: 'Label',
};

const phpArray = (o: Record<string, string>) =>
  `array(${Object.entries(o)
    .map(([k, v]) => `'${k}' => '${v}'`)
    .join(', ')})`;

function cardPhp(s: CardSpec): string {
  return `${banner(s.file)}
require '../main.inc.php';
$fields = ${phpArray(s.fields)};
$labels = ${phpArray(labels)};
$required = array(${s.required.map((r) => `'${r}'`).join(', ')});
$fromQuery = ${phpArray(s.fromQuery ?? {})};
$table = MAIN_DB_PREFIX.'${s.table}';
$action = isset($_POST['action']) ? $_POST['action'] : (isset($_GET['action']) ? $_GET['action'] : '');
$token = isset($_POST['token']) ? $_POST['token'] : (isset($_GET['token']) ? $_GET['token'] : '');
$id = (int) (isset($_GET['${s.idParam}']) ? $_GET['${s.idParam}'] : 0);
if ($action !== '' && $action !== 'create' && (!isset($_SESSION['token']) || !hash_equals($_SESSION['token'], (string) $token))) {
	http_response_code(403);
	print 'Access refused by CSRF protection in main.inc.php. Token not provided or not valid.';
	exit;
}
$errors = array();
if ($action === 'add') {
	foreach ($required as $f) {
		if (trim((string) (isset($_POST[$f]) ? $_POST[$f] : '')) === '') {
			$errors[] = 'ErrorFieldRequired '.$f;
		}
	}
	if (isset($_POST['client']) && (int) $_POST['client'] < 0) {
		$errors[] = 'ErrorFieldRequired ProspectCustomer';
	}
	if (!$errors) {
		$cols = array('entity', 'datec');
		$vals = array((string) ((int) $conf->entity), 'NOW()');
		foreach ($fields as $f => $col) {
			if (isset($_POST[$f])) {
				$cols[] = $col;
				$vals[] = "'".$db->escape((string) $_POST[$f])."'";
			}
		}
		foreach ($fromQuery as $f => $col) {
			if (isset($_POST[$f])) {
				$cols[] = $col;
				$vals[] = (int) $_POST[$f];
			}
		}
		if ($db->query("INSERT INTO ".$table."(".implode(', ', $cols).") VALUES (".implode(', ', $vals).")")) {
			header('Location: '.DOL_URL_ROOT.'/${s.file.replace('htdocs/', '')}?${s.idParam}='.$db->last_insert_id());
			exit;
		}
		$errors[] = $db->lasterror();
	}
	$action = 'create';
}
// product/card.php l.1004: Product::delete() returns 0 when isObjectUsed() fails (a missing child table such as
// llx_bom_bom), the card then shows ErrorRecordHasChildren and keeps the product
if ($action === 'confirm_delete' && (isset($_GET['confirm']) ? $_GET['confirm'] : '') === 'yes' && $id && $table === MAIN_DB_PREFIX.'product' && !$db->query("SELECT 1 FROM ".MAIN_DB_PREFIX."bom_bom LIMIT 1")) {
	$errors[] = 'ErrorRecordHasChildren';
	$action = '';
}
if ($action === 'confirm_delete' && (isset($_GET['confirm']) ? $_GET['confirm'] : '') === 'yes' && $id) {
	$db->query("DELETE FROM ".$table." WHERE rowid = ".$id);
	header('Location: '.DOL_URL_ROOT.'/${s.file.replace('htdocs/', '').replace('card.php', 'list.php')}');
	exit;
}
llxHeader('${s.title}');
foreach ($errors as $e) {
	print '<div class="error">'.dol_escape_htmltag($e).'</div>';
}
if ($action === 'create') {
	print '<form enctype="multipart/form-data" action="'.dol_escape_htmltag($_SERVER['PHP_SELF']).'" method="post" name="formsoc">';
	print '<input type="hidden" name="action" value="add">';
	print '<input type="hidden" name="token" value="'.newToken().'">';
	foreach ($fromQuery as $f => $col) {
		print '<input type="hidden" name="'.$f.'" value="'.((int) (isset($_GET[$f]) ? $_GET[$f] : 0)).'">';
	}
	foreach ($fields as $f => $col) {
		if ($f === 'client') {
			// FormCompany::selectProspectCustomerType() (core/class/html.formcompany.class.php l.1056-1083, 20.0.2):
			// no select at all when prospects and customers are disabled (and no supplier module), fewer options otherwise
			$noProspects = getDolGlobalString('SOCIETE_DISABLE_PROSPECTS');
			$noCustomers = getDolGlobalString('SOCIETE_DISABLE_CUSTOMERS');
			if ($noProspects && $noCustomers && !isModEnabled('fournisseur')) {
				continue;
			}
			print '<label for="customerprospect">Prospect / Customer</label>';
			print '<select class="flat" name="client" id="customerprospect"><option value="-1">&nbsp;</option>';
			if (!$noProspects) {
				print '<option value="2">Prospect</option>';
			}
			if (!$noProspects && !$noCustomers && !getDolGlobalString('SOCIETE_DISABLE_PROSPECTSCUSTOMERS')) {
				print '<option value="3">Prospect / Customer</option>';
			}
			if (!$noCustomers) {
				print '<option value="1">Customer</option>';
			}
			print '<option value="0">Not prospect, nor customer</option></select>';
		} else {
			// Form::editfieldkey() prints <label for="id"> with the translated key (langs/en_US)
			print '<label for="'.$f.'">'.(isset($labels[$f]) ? $labels[$f] : $f).'</label>';
			print '<input id="'.$f.'" name="'.$f.'" type="text" value="">';
		}
	}
	print '<input type="submit" class="button button-${s.button}" name="${s.button}" value="Create">';
	print '<input type="submit" class="button button-cancel" name="cancel" value="Cancel">';
	print '</form>';
} else {
	// contract: the card's restrictedArea() -> checkUserAccessToObject() (core/lib/security.lib.php) refuses an object
	// whose entity is not in getEntity() of its element (issue 18: another entity's record is not shown)
	$element = array('societe' => 'societe', 'socpeople' => 'contact', 'product' => 'product');
	$res = $db->query("SELECT * FROM ".$table." WHERE rowid = ".$id." AND entity IN (".getEntity($element['${s.table}']).")");
	$o = $res ? $db->fetch_object($res) : null;
	if (!$o) {
		print '<div class="error">ErrorRecordNotFound</div>';
	} else {
		$first = reset($fields);
		print '<div class="refid">'.dol_escape_htmltag($o->$first).'</div>';
		print '<a class="butActionDelete" href="'.dol_escape_htmltag($_SERVER['PHP_SELF']).'?${s.idParam}='.$id.'&action=delete&token='.newToken().'">Delete</a>';
	}
}
llxFooter();
`;
}

export function cardFiles(): Record<string, string> {
  return {
    ...Object.fromEntries(Object.values(specs).map((s) => [s.file, cardPhp(s)])),
    'htdocs/societe/document.php': societeDocumentPhp(),
  };
}

/**
 * societe/document.php (20.0.2): the documents tab; upload form of core/class/html.formfile.class.php
 * form_attach_new_file() l.133-172 (form#formuserfile, hidden token, input userfile[], submit sendit), handled by
 * core/actions_linkedfiles.inc.php (sendit l.51-85 -> $upload_dir = DATA_ROOT/societe/<id>, l.79 of document.php;
 * confirm_deletefile&confirm=yes&urlfile=<name> l.120-127), both behind main.inc.php's CSRF check.
 */
export function societeDocumentPhp(): string {
  return `${banner('htdocs/societe/document.php')}
require '../main.inc.php';
$socid = (int) (isset($_GET['socid']) ? $_GET['socid'] : 0);
$action = isset($_GET['action']) ? $_GET['action'] : '';
$token = isset($_POST['token']) ? $_POST['token'] : (isset($_GET['token']) ? $_GET['token'] : '');
$sendit = !empty($_POST['sendit']);
if (($sendit || $action !== '') && (!isset($_SESSION['token']) || !hash_equals($_SESSION['token'], (string) $token))) {
	http_response_code(403);
	print 'Access refused by CSRF protection in main.inc.php. Token not provided or not valid.';
	exit;
}
$upload_dir = DOL_DATA_ROOT.'/societe/'.$socid;
if ($sendit && isset($_FILES['userfile']['name']) && is_array($_FILES['userfile']['name'])) {
	if (!is_dir($upload_dir)) {
		@mkdir($upload_dir, 0755, true);
	}
	foreach ($_FILES['userfile']['name'] as $i => $name) {
		move_uploaded_file($_FILES['userfile']['tmp_name'][$i], $upload_dir.'/'.basename($name));
	}
	header('Location: '.DOL_URL_ROOT.'/societe/document.php?socid='.$socid);
	exit;
}
if ($action === 'confirm_deletefile' && (isset($_GET['confirm']) ? $_GET['confirm'] : '') === 'yes') {
	@unlink($upload_dir.'/'.basename((string) (isset($_GET['urlfile']) ? $_GET['urlfile'] : '')));
}
llxHeader('Documents');
print '<form name="formuserfile" id="formuserfile" action="'.DOL_URL_ROOT.'/societe/document.php?socid='.$socid.'" enctype="multipart/form-data" method="POST">';
print '<input type="hidden" name="token" value="'.newToken().'">';
print '<input type="file" class="flat minwidth400" name="userfile[]" multiple>';
print '<input type="submit" class="button small reposition" name="sendit" value="Upload">';
print '</form>';
foreach (is_dir($upload_dir) ? scandir($upload_dir) : array() as $f) {
	if ($f[0] !== '.') {
		print '<a class="documentdownload" href="'.DOL_URL_ROOT.'/document.php?modulepart=societe&file='.urlencode($socid.'/'.$f).'&entity=1">'.dol_escape_htmltag($f).'</a>';
	}
}
llxFooter();
`;
}
