/**
 * Fixture release: the business classes the isolation check's marker tool (src/entities/php/isolation-markers.ts)
 * creates records with (issue 18). Not Dolibarr code; each imitates only the contract the tool relies on:
 * `create($user)` writes the row in the current entity (`$conf->entity`), as Dolibarr's own classes do, and returns
 * the new id (> 0) or -1 with ->error.
 */
const banner = (what: string) =>
  `<?php\n// mokodeploy fixture release: ${what}. Not Dolibarr code; imitates its contract only.\n`;

function classPhp(file: string, cls: string, contract: string, table: string, cols: Record<string, string>): string {
  const names = Object.keys(cols);
  return `${banner(file)}
// contract: ${contract}
class ${cls}
{
	public $db;
	public $id;
	public $error = '';
	public $errors = array();
${names.map((n) => `\tpublic $${n};`).join('\n')}
	public function __construct($db)
	{
		$this->db = $db;
	}
	public function create($user, $notrigger = 0)
	{
		global $conf;
		$values = array(${names.map((n) => `'${cols[n]}' => $this->${n}`).join(', ')});
		${cls === 'Societe' ? "if ((string) $this->code_client === '-1') {\n\t\t\t// mod_codeclient_monkey: CU<yymm>-<number>\n\t\t\t$values['code_client'] = 'CU'.date('ym').'-'.sprintf('%05d', 1 + (int) $this->db->fetch_object($this->db->query(\"SELECT MAX(rowid) AS n FROM \".MAIN_DB_PREFIX.\"societe\"))->n);\n\t\t}" : ''}
		$cols = array('entity', 'datec');
		$vals = array((string) ((int) $conf->entity), 'NOW()');
		foreach ($values as $col => $v) {
			if ($v !== null) {
				$cols[] = $col;
				$vals[] = "'".$this->db->escape((string) $v)."'";
			}
		}
		if (!$this->db->query("INSERT INTO ".MAIN_DB_PREFIX."${table} (".implode(', ', $cols).") VALUES (".implode(', ', $vals).")")) {
			$this->error = $this->db->lasterror();
			return -1;
		}
		$this->id = (int) $this->db->last_insert_id(MAIN_DB_PREFIX.'${table}');
${cls === 'Societe' ? societeTriggersPhp : '\t\treturn $this->id;\n\t}\n'}}
`;
}

/**
 * Issue 17 (webhooks): Societe fires COMPANY_CREATE / COMPANY_DELETE through the triggers, as Dolibarr's does; the
 * rest of create() as above.
 */
const societeTriggersPhp = `		// contract: Societe::create() l.1057-1077 (20.0.2): COMPANY_CREATE by call_trigger() before the commit; a trigger's
		// error rolls the insert back and create() returns -4 (the trigger's messages in ->errors)
		if (!$notrigger && $this->call_trigger('COMPANY_CREATE', $user) < 0) {
			$this->db->query("DELETE FROM ".MAIN_DB_PREFIX."societe WHERE rowid = ".((int) $this->id));
			return -4;
		}
		return $this->id;
	}
	public $fournisseur = 0;
	// contract: CommonObject::call_trigger() l.6110-6137 (20.0.2): Interfaces::run_triggers(), its errors into ->errors
	public function call_trigger($triggerName, $user)
	{
		global $langs, $conf;
		include_once DOL_DOCUMENT_ROOT.'/core/class/interfaces.class.php';
		$interface = new Interfaces($this->db);
		$result = $interface->run_triggers($triggerName, $this, $user, $langs, $conf);
		if ($result < 0) {
			$this->errors = array_merge($this->errors, $interface->errors);
		}
		return $result;
	}
	// contract: Societe::delete($id, $fuser, $call_trigger) l.2151-2290 (20.0.2): COMPANY_DELETE first (l.2172-2178),
	// then the rows; a trigger's error rolls back and returns -1
	public function delete($id, $fuser = null, $call_trigger = 1)
	{
		if ($call_trigger && $this->call_trigger('COMPANY_DELETE', $fuser) < 0) {
			return -1;
		}
		if (!$this->db->query("DELETE FROM ".MAIN_DB_PREFIX."societe WHERE rowid = ".((int) $id))) {
			$this->error = $this->db->lasterror();
			return -1;
		}
		return 1;
	}
`;

export function entityClassFiles(): Record<string, string> {
  return {
    'htdocs/societe/class/societe.class.php': classPhp(
      'htdocs/societe/class/societe.class.php',
      'Societe',
      'Societe::create() l.~900 (20.0.2): INSERT with entity = $conf->entity; code_client -1 = next code of the numbering module',
      'societe',
      { name: 'nom', client: 'client', code_client: 'code_client' },
    ),
    'htdocs/contact/class/contact.class.php': classPhp(
      'htdocs/contact/class/contact.class.php',
      'Contact',
      'Contact::create() (20.0.2): INSERT with entity = $conf->entity (getEntity of the third party when one is given)',
      'socpeople',
      { socid: 'fk_soc', lastname: 'lastname', firstname: 'firstname' },
    ),
    'htdocs/product/class/product.class.php': classPhp(
      'htdocs/product/class/product.class.php',
      'Product',
      'Product::create() (20.0.2): INSERT with entity = $conf->entity (ref unique per entity, uk_product_ref)',
      'product',
      { ref: 'ref', label: 'label', type: 'fk_product_type' },
    ),
  };
}
