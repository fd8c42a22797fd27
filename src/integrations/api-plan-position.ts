import { existsSync, readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { RightLocator } from './api-users.js';

/**
 * Where each right of an API connection is written in the plan: `plans/acme.yaml:31:11 integrations.2.apiAccess.rights.1`
 * when the plan file the record came from is still there, else the field path alone. Rights are resolved on the
 * target (llx_rights_def), so an unknown right is found there; this is what its error points at.
 */
export function rightLocator(planFile: string | undefined): RightLocator {
  const path = (i: number, r: number, e?: number) =>
    e === undefined
      ? ['integrations', i, 'apiAccess', 'rights', r]
      : ['integrations', i, 'apiAccess', 'entities', e, 'rights', r];
  const field = (i: number, r: number, e?: number) => path(i, r, e).join('.');
  if (!planFile || !existsSync(planFile)) return field;
  let doc: ReturnType<typeof parseDocument>;
  const lines = new LineCounter();
  try {
    doc = parseDocument(readFileSync(planFile, 'utf8'), { lineCounter: lines });
  } catch {
    return field;
  }
  return (i, r, e) => {
    const node = doc.getIn(path(i, r, e), true);
    if (!isNode(node) || !node.range) return field(i, r, e);
    const pos = lines.linePos(node.range[0]);
    return `${planFile}:${pos.line}:${pos.col} ${field(i, r, e)}`;
  };
}
