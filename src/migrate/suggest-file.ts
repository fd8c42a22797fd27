import { inspectSource, readSourceChunks } from './read.js';
import { SourceRow } from './source-row.js';
import { renderSuggestion, suggestMapping, type Suggestion } from './suggest.js';
import type { SourceEncoding } from './encoding.js';
import type { ObjectKind } from './types.js';

/** Rows read to choose transforms: enough to see date formats and yes/no columns, quick on any file. */
const sampleRows = 500;

/** `migrate map suggest FILE --object KIND`: the file's header and first rows -> a mapping YAML to edit. */
export async function suggestMappingFile(path: string, object: ObjectKind, encoding?: SourceEncoding): Promise<Suggestion & { yaml: string }> {
  const format = inspectSource(path, encoding);
  const rows: string[][] = [];
  for await (const chunk of readSourceChunks(path, format, { recover: true })) {
    for (const item of chunk) if (item instanceof SourceRow && rows.length < sampleRows) rows.push([...item.fields]);
    if (rows.length >= sampleRows) break;
  }
  const s = suggestMapping(object, format.header, rows);
  return { ...s, yaml: renderSuggestion(s, path) };
}
