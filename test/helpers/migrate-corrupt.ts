/**
 * Generated CSV files with random corruptions, for the reader's property test (issue 15): a small
 * seeded generator (mulberry32), so a failure names the seed that reproduces it.
 */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Corruption = 'unclosed-quote' | 'stray-quote' | 'wrong-delimiter' | 'truncated' | 'nul' | 'mixed-endings' | 'blank-lines' | 'bom';
export const corruptions: Corruption[] = ['unclosed-quote', 'stray-quote', 'wrong-delimiter', 'truncated', 'nul', 'mixed-endings', 'blank-lines', 'bom'];

export interface GeneratedCsv {
  text: string;
  delimiter: string;
  header: string[];
  /** The data rows as written, before any corruption. */
  rows: string[][];
  /** Keys (first field) of the rows no corruption touched: each must come out as a row or inside a reject. */
  untouched: Set<string>;
  applied: Corruption[];
}

const pieces = ['a', 'Zoë', 'x y', '12,50', '1;2', 'tab\there', 'quote"d', 'two\nlines', 'crlf\r\nline', '', ' ', 'Ma?gorzata', 'é', '|'];

/** One file: a header, up to 40 rows (fields quoted when they need it), then a few corruptions. */
export function generateCsv(seed: number): GeneratedCsv {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const delimiter = pick([',', ';', '\t', '|']);
  const width = 2 + Math.floor(r() * 4);
  const header = Array.from({ length: width }, (_, i) => `col${i}`);
  const rows: string[][] = [];
  const n = Math.floor(r() * 40);
  for (let i = 0; i < n; i++) rows.push([`K${seed}x${i}k`, ...Array.from({ length: width - 1 }, () => pick(pieces) + (r() < 0.3 ? pick(pieces) : ''))]);
  const quote = (f: string) => (f.includes(delimiter) || f.includes('"') || f.includes('\n') || f.includes('\r') || r() < 0.1 ? `"${f.replace(/"/g, '""')}"` : f);
  const lines = [header.join(delimiter), ...rows.map((row) => row.map(quote).join(delimiter))];
  const untouched = new Set(rows.map((row) => row[0]!));
  const applied: Corruption[] = [];
  const count = Math.floor(r() * 4);
  let eol: (i: number) => string = () => '\n';
  let truncate = false;
  let bom = false;
  for (let c = 0; c < count && lines.length > 1; c++) {
    const kind = pick(corruptions);
    applied.push(kind);
    const i = 1 + Math.floor(r() * (lines.length - 1));
    const key = rows[i - 1]![0]!;
    const line = lines[i]!;
    const at = Math.floor(r() * (line.length + 1));
    if (kind === 'unclosed-quote') {
      const fieldStart = line.lastIndexOf(delimiter, at) + 1;
      lines[i] = `${line.slice(0, fieldStart)}"${line.slice(fieldStart)}`;
      untouched.delete(key);
    } else if (kind === 'stray-quote') {
      lines[i] = `${line.slice(0, at)}"${line.slice(at)}`;
      untouched.delete(key);
    } else if (kind === 'wrong-delimiter') {
      const other = pick([',', ';', '\t', '|'].filter((d) => d !== delimiter));
      lines[i] = line.split(delimiter).join(other);
      untouched.delete(key);
    } else if (kind === 'nul') {
      lines[i] = `${line.slice(0, at)}\0${line.slice(at)}`;
      untouched.delete(key);
    } else if (kind === 'mixed-endings') {
      eol = () => (r() < 0.5 ? '\r\n' : '\n');
    } else if (kind === 'blank-lines') {
      lines.splice(i, 0, '');
      rows.splice(i - 1, 0, []);
    } else if (kind === 'truncated') {
      truncate = true;
    } else bom = true;
  }
  let text = lines.map((l, i) => l + eol(i)).join('');
  if (truncate && rows.length > 0) {
    const last = lines.length - 1;
    const start = text.length - lines[last]!.length - 1;
    text = text.slice(0, start + Math.floor(r() * (lines[last]!.length + 1)));
    untouched.delete(rows[rows.length - 1]![0]!);
  }
  return { text: (bom ? '\uFEFF' : '') + text, delimiter, header, rows: rows.filter((row) => row.length > 0), untouched, applied };
}

/** Cut a text into 1-8 pieces at random places (the reader must not care where chunks end). */
export function cutText(text: string, seed: number): string[] {
  const r = rng(seed ^ 0x9e3779b9);
  const cuts = [...new Set(Array.from({ length: Math.floor(r() * 8) }, () => Math.floor(r() * text.length)))].sort((a, b) => a - b);
  const out: string[] = [];
  let from = 0;
  for (const c of cuts) {
    out.push(text.slice(from, c));
    from = c;
  }
  out.push(text.slice(from));
  return out;
}
