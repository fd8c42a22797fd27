/**
 * Reading a module descriptor `mod<Name>.class.php` without running PHP.
 * Core: htdocs/core/modules/mod*.class.php; custom: htdocs/custom/<dir>/core/modules/mod<Name>.class.php
 * (found by dolGetModulesDirs(), core/lib/functions2.lib.php). Template of the fields:
 * htdocs/modulebuilder/template/core/modules/modMyModule.class.php (version l.79, phpmin l.157,
 * need_dolibarr_version l.158 in 20.0.2).
 */
export interface ModuleDescriptor {
  /** Class name, e.g. modMokoInvoice. */
  className: string;
  numero?: number;
  /** $this->version: '1.0', or 'dolibarr' / 'experimental' / 'development' for core modules. */
  version?: string;
  phpmin?: (number | string)[];
  phpmax?: (number | string)[];
  needDolibarrVersion?: (number | string)[];
  maxDolibarrVersion?: (number | string)[];
  depends: string[];
}

/** Drop block comments and whole-line // or # comments (descriptors keep old values commented out, e.g. modBom.class.php l.115). */
function withoutComments(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split('\n')
    .filter((line) => !/^\s*(\/\/|#)/.test(line))
    .join('\n');
}

function member(text: string, name: string): string | undefined {
  // $this->name = <expr>;   (first assignment wins, as in the constructor)
  const m = new RegExp(`\\$this->${name}\\s*=\\s*([^;]+);`).exec(text);
  return m?.[1]?.trim();
}

function stringValue(expr: string | undefined): string | undefined {
  if (!expr) return undefined;
  const m = /^['"]([^'"]*)['"]$/.exec(expr);
  return m ? m[1] : undefined;
}

/** `array(7, 1)` / `[19, -3]` / `array('8','0')` -> [7, 1] ... ; undefined for anything else. */
export function phpArrayOfScalars(expr: string | undefined): (number | string)[] | undefined {
  if (!expr) return undefined;
  const m = /^(?:array\s*\(([\s\S]*)\)|\[([\s\S]*)\])$/.exec(expr);
  if (!m) return undefined;
  const body = (m[1] ?? m[2] ?? '').trim();
  if (body === '') return [];
  const items = body
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.some((s) => s.includes('=>'))) return undefined;
  return items.map((s) => {
    const str = /^['"](.*)['"]$/.exec(s);
    if (str) return str[1]!;
    const n = Number(s);
    return Number.isNaN(n) ? s : n;
  });
}

export function readModuleDescriptor(source: string): ModuleDescriptor | undefined {
  const text = withoutComments(source);
  const cls = /class\s+(mod[A-Za-z0-9_]+)\s+extends\s+DolibarrModules/.exec(text);
  if (!cls) return undefined;
  const numero = Number(member(text, 'numero'));
  const depends = phpArrayOfScalars(member(text, 'depends')) ?? [];
  return {
    className: cls[1]!,
    numero: Number.isFinite(numero) ? numero : undefined,
    version: stringValue(member(text, 'version')),
    phpmin: phpArrayOfScalars(member(text, 'phpmin')),
    phpmax: phpArrayOfScalars(member(text, 'phpmax')),
    needDolibarrVersion: phpArrayOfScalars(member(text, 'need_dolibarr_version')),
    maxDolibarrVersion: phpArrayOfScalars(member(text, 'max_dolibarr_version')),
    depends: depends.filter((d): d is string => typeof d === 'string'),
  };
}
