import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LineCounter, isNode, parseDocument } from 'yaml';
import { inputError } from '../core/errors.js';
import type { Plan } from '../core/plan.js';
import { readMapping } from './mapping.js';
import type { ObjectKind } from './types.js';

/** The plan's words for the objects, and the default mapping of each (a generic CRM export). */
const planObjects: Record<Plan['data'][number]['object'], { kind: ObjectKind; mapping: string }> = {
  thirdparties: { kind: 'thirdparty', mapping: 'default:crm-companies' },
  contacts: { kind: 'contact', mapping: 'default:crm-contacts' },
  products: { kind: 'product', mapping: 'default:crm-products' },
};

/** What `migrate run <deployment>` imports, read from the deployment's plan (pure but for file checks). */
export interface PlanMigration {
  target: { host: string; port: number; socket?: string; database: string; user: string; passwordSecret: string; prefix: string };
  jobs: { file: string; mapping: string }[];
  entity: number;
  /** The plan's Dolibarr admin: recorded as creator of the imported records, as Dolibarr's import does for its user. */
  createdBy: string;
}

/**
 * The plan's `data` section as migration jobs: files and mapping files relative to the plan
 * file, a default mapping for the object when none is named, the database of the plan. Every
 * problem (no data, a missing file, a mapping for another object) is collected and reported with
 * the plan file's line and field before anything connects.
 */
export function planMigration(id: string, plan: Plan, planFile: string | undefined): PlanMigration {
  if (plan.data.length === 0) {
    throw inputError(`the plan of ${id} lists no data to import`, {
      where: planFile,
      fix: 'add a data section (object, file, optional mapping) to the plan and revise it, or give a migration file: mokodeploy migrate run FILE',
    });
  }
  const base = planFile ? dirname(resolve(planFile)) : process.cwd();
  const at = positions(planFile);
  const problems: string[] = [];
  const jobs = plan.data.map((d, i) => {
    const file = resolve(base, d.file);
    if (!existsSync(file) || !statSync(file).isFile()) problems.push(`${at(['data', i, 'file'])} data.${i}.file: no such file ${file}`);
    const object = planObjects[d.object];
    const mapping = d.mapping === undefined ? object.mapping : d.mapping.startsWith('default:') ? d.mapping : resolve(base, d.mapping);
    if (!mapping.startsWith('default:') && !existsSync(mapping)) problems.push(`${at(['data', i, 'mapping'])} data.${i}.mapping: no such file ${mapping}`);
    else {
      const maps = readMapping(mapping).object;
      if (maps !== object.kind) problems.push(`${at(['data', i, 'mapping'])} data.${i}.mapping: ${mapping} maps ${maps} rows, the plan says ${d.object}`);
    }
    return { file, mapping };
  });
  const entity = planDataEntity(plan);
  plan.data.forEach((d, i) => {
    if (d.entity !== entity)
      problems.push(`${at(['data', i, 'entity'])} data.${i}.entity: ${d.entity}, but data.0 goes into entity ${entity}: one run imports into one entity (use a migration file per entity: migrate run FILE)`);
    else if (d.entity > 1 && !plan.entities.some((e) => e.id === d.entity))
      problems.push(`${at(['data', i, 'entity'])} data.${i}.entity: ${d.entity} is not among the plan's entities (${plan.entities.map((e) => e.id).join(', ') || 'none'})`);
  });
  if (problems.length > 0) {
    throw inputError(`the plan's data section has ${problems.length} problem(s)`, {
      where: planFile,
      details: problems,
      fix: 'correct the paths (relative to the plan file) and revise the plan',
    });
  }
  return {
    target: planTarget(plan),
    jobs,
    entity,
    createdBy: plan.admin.login,
  };
}

/** The entity the plan's data goes into (issue 18): its first item's, 1 without data. */
export const planDataEntity = (plan: Plan): number => plan.data[0]?.entity ?? 1;

/** The plan's Dolibarr database (installed by mokodeploy with the default table prefix). */
export function planTarget(plan: Plan): PlanMigration['target'] {
  const db = plan.database;
  return { host: db.host, port: db.port, socket: db.socket, database: db.name, user: db.user, passwordSecret: db.password.secret, prefix: 'llx_' };
}

/** `file:line:col` of a field of the plan file, when the file is still there (else its name). */
function positions(planFile: string | undefined): (path: (string | number)[]) => string {
  if (!planFile || !existsSync(planFile)) return () => planFile ?? 'plan';
  const lineCounter = new LineCounter();
  const doc = parseDocument(readFileSync(planFile, 'utf8'), { lineCounter });
  return (path) => {
    for (let depth = path.length; depth > 0; depth--) {
      const node = doc.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) {
        const pos = lineCounter.linePos(node.range[0]);
        return `${planFile}:${pos.line}:${pos.col}`;
      }
    }
    return planFile;
  };
}
