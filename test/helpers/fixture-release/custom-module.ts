import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A custom module laid out like Dolibarr's ModuleBuilder template
 * (htdocs/modulebuilder/template/core/modules/modMyModule.class.php: numero, version l.79, phpmin l.157,
 * need_dolibarr_version l.158), written fresh for tests.
 */
export interface CustomModuleOptions {
  /** Directory name under htdocs/custom, e.g. mokotest. */
  name: string;
  /** Descriptor class, e.g. modMokoTest. */
  className: string;
  numero?: number;
  version?: string;
  phpmin?: number[];
  needDolibarrVersion?: number[];
  rights?: [number, string, string][];
}

export function customModuleDescriptorPhp(o: CustomModuleOptions): string {
  const arr = (a: number[] | undefined) => (a ? `array(${a.join(', ')})` : 'null');
  const rights = (o.rights ?? []).map(([id, label, perms]) => `array(${id}, '${label}', 'r', 0, '${perms}')`).join(', ');
  return `<?php
// mokodeploy fixture release: custom module template (htdocs/modulebuilder/template). Not Dolibarr code; imitates its contract only.
include_once DOL_DOCUMENT_ROOT.'/core/modules/DolibarrModules.class.php';
class ${o.className} extends DolibarrModules
{
	public function __construct($db)
	{
		parent::__construct($db);
		// as htdocs/modulebuilder/template/core/modules/modMyModule.class.php: the descriptor names itself
		$this->name = preg_replace('/^mod/i', '', get_class($this));
		$this->const_name = 'MAIN_MODULE_'.strtoupper($this->name);
		$this->rights_class = '${o.name}';
		$this->description = 'mokodeploy test module';
		$this->numero = ${o.numero ?? 500000};
		$this->family = 'other';
		$this->editor_name = 'Moko Consulting';
		$this->version = '${o.version ?? '1.0.0'}';
		$this->phpmin = ${arr(o.phpmin ?? [7, 1])};
		$this->need_dolibarr_version = ${arr(o.needDolibarrVersion ?? [19, -3])};
		$this->depends = array('modSociete');
		$this->rights = array(${rights});
	}
}
`;
}

/** Write <parent>/<name>/ and return its path. */
export function writeCustomModule(parent: string, o: CustomModuleOptions): string {
  const dir = join(parent, o.name);
  mkdirSync(join(dir, 'core', 'modules'), { recursive: true });
  writeFileSync(join(dir, 'core', 'modules', `${o.className}.class.php`), customModuleDescriptorPhp(o));
  writeFileSync(join(dir, 'README.md'), `# ${o.name}\n\nTest module for mokodeploy.\n`);
  return dir;
}

/** The same module as <parent>/<name>.tgz (top directory = module name). */
export function packCustomModule(parent: string, o: CustomModuleOptions): string {
  const src = join(parent, 'src');
  writeCustomModule(src, o);
  const tgz = join(parent, `${o.name}.tgz`);
  execFileSync('tar', ['-czf', tgz, '-C', src, o.name]);
  return tgz;
}
