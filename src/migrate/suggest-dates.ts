import { compileDates } from './dates.js';

const isoFormats = ['YYYY-MM-DD', 'YYYY-MM-DD HH:mm:ss', 'YYYY-MM-DD HH:mm', 'YYYY/MM/DD'];
const dayFirst = ['D/M/YYYY', 'D.M.YYYY', 'D-M-YYYY', 'D/M/YY', 'D.M.YY'];
const monthFirst = ['M/D/YYYY', 'M-D-YYYY', 'M/D/YY'];

/**
 * The date formats that read a column's sample values, in the order to try them (dates.ts rules):
 * ISO first, then day-first or month-first as the values show it (a first part above 12 is a day,
 * a second part above 12 is a day); with no such value, day-first, said in a note.
 */
export function suggestDates(values: string[]): { formats: string[]; notes: string[] } {
  const notes: string[] = [];
  let dayEvidence = 0;
  let monthEvidence = 0;
  for (const v of values) {
    const m = /^(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}/.exec(v);
    if (!m) continue;
    if (Number(m[1]) > 12) dayEvidence++;
    if (Number(m[2]) > 12) monthEvidence++;
  }
  let local = dayFirst;
  if (monthEvidence > 0 && dayEvidence === 0) local = monthFirst;
  else if (monthEvidence > 0 && dayEvidence > 0) notes.push(`day/month order: ${dayEvidence} value(s) read day-first only, ${monthEvidence} month-first only; day-first tried first, check the rejects`);
  else if (dayEvidence === 0 && values.some((v) => /^\d{1,2}[/.-]\d{1,2}[/.-]/.test(v))) notes.push('day/month order: no value settles it (none has a part above 12); day-first (D/M) assumed, put M/D/YYYY first if the source is American');
  const formats: string[] = [];
  let unread = 0;
  for (const v of values) {
    if (formats.some((f) => reads(f, v))) continue;
    const f = [...isoFormats, ...local].find((c) => reads(c, v));
    if (f) formats.push(f);
    else unread++;
  }
  if (unread > 0) notes.push(`${unread} value(s) sampled match no known date format (e.g. "${values.find((v) => ![...isoFormats, ...local].some((c) => reads(c, v)))}"): add their format`);
  if (formats.some((f) => f.includes('YY') && !f.includes('YYYY'))) notes.push('two-digit years: 00-69 are read as 2000-2069, 70-99 as 1970-1999');
  const order = [...isoFormats, ...local];
  return { formats: formats.sort((a, b) => order.indexOf(a) - order.indexOf(b)), notes };
}

function reads(format: string, value: string): boolean {
  try {
    compileDates([format])(value);
    return true;
  } catch {
    return false;
  }
}
