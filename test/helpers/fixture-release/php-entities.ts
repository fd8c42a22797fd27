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
		return $this->id;
	}
}
`;
}

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
