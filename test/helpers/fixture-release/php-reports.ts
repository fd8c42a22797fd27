/**
 * Fixture release: commercial proposals and their PDF, what `verify` exercises for "Reports generate correctly".
 * Not Dolibarr code; it imitates the contract (20.0.2) of comm/propal/class/api_proposals.class.php (POST needs
 * socid, l.247-275 and $FIELDS l.39; GET/DELETE by id), comm/propal/class/propal.class.php (create() refuses an
 * empty date l.1104, ref '(PROV<id>)' l.1185; delete() removes DATA_ROOT/propale/<ref>/ l.3084-3100),
 * api/class/api_documents.class.php builddoc() (PUT /documents/builddoc {modulepart, original_file, doctemplate,
 * langcode} l.132-293: object fetched by the file's base name, 404 'Proposal not found', 500 'Error generating
 * document', 403 for another modulepart; answers {filename, content-type, filesize, content (base64), langcode,
 * template, encoding}; modulepart 'propal', as 'proposal' fails dol_check_secure_access_document()) and core/modules/propale/doc/pdf_azur.modules.php (writes <dir_output>/<ref>/<ref>.pdf,
 * dol_mkdir failure = error, l.270-286). The PDF is a minimal valid one with the proposal's ref as its text.
 * Invoices the same way (compta/facture/class/api_invoices.class.php post() l.292-325: date defaults to now,
 * 500 "Error creating invoice"; delete() l.709-737 'Invoice deleted'; facture.class.php create() ref '(PROV<id>)'
 * l.673-714, delete() removes DATA_ROOT/facture/<ref>/ l.2891; builddoc() modulepart 'facture' or 'invoice'
 * l.182-193, 404 'Invoice not found').
 */
const banner = (what: string) =>
  `<?php\n// mokodeploy fixture release: ${what}. Not Dolibarr code; imitates its contract only.\n`;

export const propalTableSql = `create table llx_propal
(
  rowid integer AUTO_INCREMENT PRIMARY KEY,
  ref varchar(30) NOT NULL,
  entity integer DEFAULT 1 NOT NULL,
  fk_soc integer,
  tms timestamp DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  datec datetime,
  datep date,
  fk_user_author integer,
  fk_statut smallint DEFAULT 0 NOT NULL,
  total_ht double(24,8) DEFAULT 0,
  model_pdf varchar(255),
  last_main_doc varchar(255),
  import_key varchar(14)
) ENGINE=innodb;`;

export const propalKeySql = `ALTER TABLE llx_propal ADD UNIQUE INDEX uk_propal_ref (ref, entity);
ALTER TABLE llx_propal ADD INDEX idx_propal_fk_soc (fk_soc);
ALTER TABLE llx_propal ADD CONSTRAINT fk_propal_fk_soc FOREIGN KEY (fk_soc) REFERENCES llx_societe (rowid);`;

export const factureTableSql = `create table llx_facture
(
  rowid integer AUTO_INCREMENT PRIMARY KEY,
  ref varchar(30) NOT NULL,
  entity integer DEFAULT 1 NOT NULL,
  type smallint DEFAULT 0 NOT NULL,
  fk_soc integer NOT NULL,
  datec datetime,
  datef date,
  fk_statut smallint DEFAULT 0 NOT NULL,
  fk_user_author integer,
  model_pdf varchar(255),
  last_main_doc varchar(255),
  import_key varchar(14)
) ENGINE=innodb;`;

export const factureKeySql = `ALTER TABLE llx_facture ADD UNIQUE INDEX uk_facture_ref (ref, entity);
ALTER TABLE llx_facture ADD CONSTRAINT fk_facture_fk_soc FOREIGN KEY (fk_soc) REFERENCES llx_societe (rowid);`;

export function apiProposalsPhp(): string {
  return `${banner('htdocs/api/fixture_proposals.php (api_proposals.class.php, propal.class.php, builddoc)')}
// the two document kinds: proposals (propal.class.php) and invoices (facture.class.php)
function fixture_doc_kind($name)
{
	$kinds = array(
		'proposals' => array('table' => 'propal', 'dir' => 'propale', 'module' => 'propale', 'date' => 'datep', 'model' => 'PROPALE_ADDON_PDF', 'default' => 'azur', 'label' => 'Proposal', 'created' => 'Error creating order', 'deleted' => 'Commercial Proposal deleted'),
		'invoices' => array('table' => 'facture', 'dir' => 'facture', 'module' => 'facture', 'date' => 'datef', 'model' => 'FACTURE_ADDON_PDF', 'default' => 'crabe', 'label' => 'Invoice', 'created' => 'Error creating invoice', 'deleted' => 'Invoice deleted'),
	);
	return $kinds[$name];
}
function fixture_propal_dir($ref, $k = null)
{
	return DOL_DATA_ROOT.'/'.($k ? $k['dir'] : 'propale').'/'.$ref;
}
function fixture_doc_fetch($db, $k, $where)
{
	$res = $db->query("SELECT * FROM ".MAIN_DB_PREFIX.$k['table']." WHERE entity = 1 AND ".$where);
	return $res ? $db->fetch_object($res) : null;
}
function fixture_proposals($db, $method, $id, $body, $kind = 'proposals')
{
	$k = fixture_doc_kind($kind);
	// without the module its rights are not loaded: hasRight(...) is false (403)
	if (!isModEnabled($k['module'])) {
		api_error(403, 'Insuffisant rights');
	}
	if ($method === 'POST' && !$id) {
		if (!isset($body['socid'])) {
			api_error(400, 'socid field missing');
		}
		$res = $db->query("SELECT rowid FROM ".MAIN_DB_PREFIX."societe WHERE rowid = ".((int) $body['socid']));
		if (!$res || !$db->fetch_object($res)) {
			api_error(500, $k['created'].': Failed to fetch company');
		}
		// a proposal needs its date (propal.class.php l.1104); an invoice defaults it to now (api_invoices l.309)
		if (empty($body['date']) && $kind === 'proposals') {
			api_error(500, $k['created'].': Date of proposal is required');
		}
		$date = empty($body['date']) ? time() : (int) $body['date'];
		$model = getDolGlobalString($k['model'], $k['default']);
		$ok = $db->query("INSERT INTO ".MAIN_DB_PREFIX.$k['table']." (ref, entity, fk_soc, datec, ".$k['date'].", fk_statut, model_pdf) VALUES ('(PROV)', 1, ".((int) $body['socid']).", NOW(), '".date('Y-m-d', $date)."', 0, '".$db->escape($model)."')");
		if (!$ok) {
			api_error(500, $k['created'].': '.$db->lasterror());
		}
		$id = (int) $db->last_insert_id();
		$db->query("UPDATE ".MAIN_DB_PREFIX.$k['table']." SET ref = '(PROV".$id.")' WHERE rowid = ".$id);
		api_out(200, $id);
	}
	$o = fixture_doc_fetch($db, $k, 'rowid = '.((int) $id));
	if (!$o) {
		api_error(404, $k['label'].' not found');
	}
	if ($method === 'GET') {
		api_out(200, array('id' => (string) $o->rowid, 'ref' => $o->ref, 'socid' => (string) $o->fk_soc, 'statut' => (string) $o->fk_statut, 'model_pdf' => $o->model_pdf, 'last_main_doc' => $o->last_main_doc));
	}
	if ($method === 'DELETE') {
		$dir = fixture_propal_dir($o->ref, $k);
		foreach (is_dir($dir) ? glob($dir.'/*') : array() as $file) {
			unlink($file);
		}
		if (is_dir($dir)) {
			rmdir($dir);
		}
		$db->query("DELETE FROM ".MAIN_DB_PREFIX.$k['table']." WHERE rowid = ".((int) $o->rowid));
		api_out(200, array('success' => array('code' => 200, 'message' => $k['deleted'])));
	}
	api_error(405, 'Method not allowed');
}
// a minimal valid PDF (one page, Helvetica, the given line of text), as a stand-in for TCPDF's output
function fixture_pdf($text)
{
	$text = str_replace(array('(', ')'), array('[', ']'), $text);
	$stream = 'BT /F1 14 Tf 72 760 Td ('.$text.') Tj ET';
	$objects = array(
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
		'<< /Length '.strlen($stream)." >>\\nstream\\n".$stream."\\nendstream",
	);
	$pdf = "%PDF-1.4\\n";
	$offsets = array();
	foreach ($objects as $i => $o) {
		$offsets[] = strlen($pdf);
		$pdf .= ($i + 1)." 0 obj\\n".$o."\\nendobj\\n";
	}
	$xref = strlen($pdf);
	$pdf .= "xref\\n0 ".(count($objects) + 1)."\\n0000000000 65535 f \\n";
	foreach ($offsets as $offset) {
		$pdf .= sprintf("%010d 00000 n \\n", $offset);
	}
	return $pdf."trailer\\n<< /Size ".(count($objects) + 1)." /Root 1 0 R >>\\nstartxref\\n".$xref."\\n%%EOF\\n";
}
function fixture_builddoc($db, $body)
{
	$modulepart = isset($body['modulepart']) ? (string) $body['modulepart'] : '';
	$file = isset($body['original_file']) ? (string) $body['original_file'] : '';
	if ($modulepart === '') {
		api_error(400, 'bad value for parameter modulepart');
	}
	if ($file === '') {
		api_error(400, 'bad value for parameter original_file');
	}
	if (preg_match('/\\.\\./', $file) || preg_match('/[<>|]/', $file)) {
		api_error(403, 'Forbidden');
	}
	// contract: builddoc() accepts 'proposal', but dol_check_secure_access_document() (core/lib/files.lib.php) does
	// not know it and dol_print_error() answers its technical-error page (HTTP 202, HTML) in 20.0.2
	if ($modulepart === 'proposal') {
		http_response_code(202);
		header('Content-Type: text/html; charset=UTF-8');
		print 'Dolibarr has detected a technical error.<br><b>Message:</b> Error call dol_check_secure_access_document with not supported value for modulepart parameter (proposal). The module for this modulepart value may not be activated.<br>';
		exit;
	}
	if ($modulepart === 'propal') {
		$k = fixture_doc_kind('proposals');
	} elseif ($modulepart === 'facture' || $modulepart === 'invoice') {
		$k = fixture_doc_kind('invoices');
	} else {
		api_error(403, 'Generation not available for this modulepart');
	}
	$ref = preg_replace('/\\.[^\\.]+$/', '', basename($file));
	$o = fixture_doc_fetch($db, $k, "ref = '".$db->escape($ref)."'");
	if (!$o) {
		api_error(404, $k['label'].' not found');
	}
	$template = !empty($body['doctemplate']) ? (string) $body['doctemplate'] : $o->model_pdf;
	$dir = fixture_propal_dir($o->ref, $k);
	$path = $dir.'/'.$o->ref.'.pdf';
	if ((!is_dir($dir) && !@mkdir($dir, 0755, true)) || @file_put_contents($path, fixture_pdf($k['label'].' '.$o->ref.' ('.$template.')')) === false) {
		api_error(500, 'Error generating document');
	}
	$db->query("UPDATE ".MAIN_DB_PREFIX.$k['table']." SET last_main_doc = '".$k['dir']."/".$db->escape($o->ref.'/'.$o->ref).".pdf' WHERE rowid = ".((int) $o->rowid));
	$data = file_get_contents($path);
	api_out(200, array('filename' => basename($path), 'content-type' => 'application/pdf', 'filesize' => strlen($data), 'content' => base64_encode($data), 'langcode' => 'en_US', 'template' => $template, 'encoding' => 'base64'));
}
`;
}
