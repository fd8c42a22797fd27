import { describe, expect, it } from 'vitest';
import { moduleCompatibilityProblems } from '../../../src/dolibarr/module-compatibility.js';
import { phpArrayOfScalars, readModuleDescriptor } from '../../../src/dolibarr/module-descriptor.js';
import { customModuleDescriptorPhp } from '../../helpers/fixture-release/custom-module.js';

const builderStyle = `<?php
include_once DOL_DOCUMENT_ROOT.'/core/modules/DolibarrModules.class.php';
class modMokoInvoice extends DolibarrModules
{
	public function __construct($db)
	{
		$this->db = $db;
		$this->numero = 500100;
		$this->version = '1.2.0';
		$this->depends = array('modSociete', 'modFacture');
		$this->phpmin = array(7, 1); // Minimum version of PHP required by module
		$this->need_dolibarr_version = array(19, -3); // Minimum version of Dolibarr required by module
	}
}`;

describe('readModuleDescriptor', () => {
  it('reads class, numero, version, depends, phpmin and need_dolibarr_version', () => {
    expect(readModuleDescriptor(builderStyle)).toEqual({
      className: 'modMokoInvoice',
      numero: 500100,
      version: '1.2.0',
      phpmin: [7, 1],
      phpmax: undefined,
      needDolibarrVersion: [19, -3],
      maxDolibarrVersion: undefined,
      depends: ['modSociete', 'modFacture'],
    });
  });

  it('reads the fixture custom module template', () => {
    const d = readModuleDescriptor(
      customModuleDescriptorPhp({
        name: 'mokotest',
        className: 'modMokoTest',
        phpmin: [8, 1],
        needDolibarrVersion: [20, 0],
      }),
    );
    expect(d?.className).toBe('modMokoTest');
    expect(d?.phpmin).toEqual([8, 1]);
    expect(d?.needDolibarrVersion).toEqual([20, 0]);
  });

  it('parses short array syntax and refuses keyed arrays', () => {
    expect(phpArrayOfScalars("['8', 0]")).toEqual(['8', 0]);
    expect(phpArrayOfScalars("array('always' => array('modX'))")).toBeUndefined();
  });

  it('ignores commented-out members (as in core/modules/modBom.class.php l.115)', () => {
    const text = builderStyle
      .replace(
        '$this->phpmin = array(7, 1);',
        '//$this->phpmin = array(7, 0));\n\t\t/* $this->phpmax = array(8, 0); */',
      )
      .replace("$this->version = '1.2.0';", "// $this->version = '0.9';\n\t\t$this->version = '1.2.0';");
    const d = readModuleDescriptor(text);
    expect(d?.phpmin).toBeUndefined();
    expect(d?.phpmax).toBeUndefined();
    expect(d?.version).toBe('1.2.0');
  });

  it('is undefined for a file that is not a descriptor', () => {
    expect(readModuleDescriptor('<?php class Foo {}')).toBeUndefined();
  });
});

describe('moduleCompatibilityProblems (activateModule checks)', () => {
  const mod = readModuleDescriptor(builderStyle)!;
  it('accepts a target meeting phpmin and need_dolibarr_version', () => {
    expect(moduleCompatibilityProblems(mod, { phpVersion: '8.2.7', dolibarrVersion: '20.0.2' })).toEqual([]);
  });
  it('refuses an older PHP and an older Dolibarr, naming both', () => {
    const problems = moduleCompatibilityProblems(
      { ...mod, phpmin: [8, 3], needDolibarrVersion: [21, 0] },
      { phpVersion: '8.2.7', dolibarrVersion: '20.0.2' },
    );
    expect(problems).toEqual([
      'modMokoInvoice needs PHP >= 8.3, target has 8.2.7',
      'modMokoInvoice needs Dolibarr >= 21.0, release is 20.0.2',
    ]);
  });
  it('treats a maximum as covering all its sub-versions', () => {
    expect(
      moduleCompatibilityProblems(
        { ...mod, phpmax: [8, 2] },
        { phpVersion: '8.2.7', dolibarrVersion: '20.0.2' },
      ),
    ).toEqual([]);
    expect(
      moduleCompatibilityProblems(
        { ...mod, maxDolibarrVersion: [19] },
        { phpVersion: '8.2.7', dolibarrVersion: '20.0.2' },
      ),
    ).toHaveLength(1);
  });
});
