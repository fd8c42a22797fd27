const candidates = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof candidates)[number];

/**
 * Pick the delimiter that splits the first lines into the same, largest number of fields
 * (quoted parts ignored). Spreadsheet exports use ';' where ',' is the decimal separator.
 */
export function detectDelimiter(sample: string): Delimiter {
  const lines = logicalLines(sample).slice(0, 30);
  let best: { d: Delimiter; score: number } = { d: ',', score: -1 };
  for (const d of candidates) {
    const counts = lines.map((l) => countOutsideQuotes(l, d));
    const first = counts[0] ?? 0;
    if (first === 0) continue;
    const consistent = counts.filter((c) => c === first).length;
    const score = consistent * 1000 + first;
    if (score > best.score) best = { d, score };
  }
  return best.d;
}

/** Split on newlines that are not inside quotes, so a quoted multi-line field stays one line. */
function logicalLines(text: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\n' && !quoted) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  return out.filter((l) => l.trim() !== '');
}

function countOutsideQuotes(line: string, d: string): number {
  let n = 0;
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (c === d && !quoted) n++;
  }
  return n;
}
