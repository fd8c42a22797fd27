import { stringify } from 'yaml';
import type { MappingInput, Transform } from './mapping-schema.js';
import type { ObjectKind } from './types.js';
import { columnWords, keyWords, normaliseWord, parentWords } from './suggest-words.js';
import { suggestDates } from './suggest-dates.js';

/** A proposed mapping, and what the user should look at before using it. */
export interface Suggestion {
  mapping: MappingInput;
  notes: string[];
}

type Field = MappingInput['fields'][string];

const booleanWords = new Set(['1', '0', 'yes', 'no', 'y', 'n', 'true', 'false', 'oui', 'non', 'ja', 'nein', 'si', 'sí', 'x', 'vrai', 'faux']);
const emailLike = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Third-party types as exports spell them -> Dolibarr's client (0 none, 1 customer, 2 prospect, 3 both) and fournisseur. */
const partyTypes: Record<string, [number, number]> = {
  customer: [1, 0], client: [1, 0], kunde: [1, 0], cliente: [1, 0], klant: [1, 0],
  prospect: [2, 0], lead: [2, 0], interessent: [2, 0], prospecto: [2, 0],
  supplier: [0, 1], vendor: [0, 1], fournisseur: [0, 1], lieferant: [0, 1], proveedor: [0, 1], fornitore: [0, 1], leverancier: [0, 1],
  both: [3, 0], partner: [1, 1],
};
const productTypes: Record<string, number> = { product: 0, produit: 0, produkt: 0, ware: 0, article: 0, goods: 0, producto: 0, prodotto: 0, '0': 0, service: 1, dienstleistung: 1, servicio: 1, servizio: 1, prestation: 1, '1': 1 };
const required: Record<ObjectKind, string> = { thirdparty: 'nom', contact: 'lastname', product: 'label' };

/**
 * A mapping proposed from a file's header and first rows (pure): columns matched by their names in
 * several languages (suggest-words.ts), transforms chosen from the Dolibarr column and the values
 * seen (dates and their formats, countries, yes/no, numbers, e-mails, phones). `notes` say what was
 * guessed and what was left out, so the user checks those before the first run.
 */
export function suggestMapping(object: ObjectKind, header: string[], rows: string[][]): Suggestion {
  const notes: string[] = [];
  const norm = header.map(normaliseWord);
  const values = (col: number) => rows.map((r) => (r[col] ?? '').trim()).filter((v) => v !== '');
  const used = new Set<number>();
  const find = (words: string[]) => {
    for (const w of words) {
      const i = norm.findIndex((h, j) => !used.has(j) && h === w);
      if (i >= 0) return i;
    }
    return -1;
  };
  let key = find(keyWords[object]);
  if (key < 0) {
    key = header.findIndex((_, i) => new Set(values(i)).size === rows.length && rows.length > 0);
    notes.push(key >= 0 ? `key: no column is named like an id; "${header[key]}" has a different value on every row sampled, check it identifies a record` : 'key: no column identifies a record: name one in key.from');
    if (key < 0) key = 0;
  }
  used.add(key);
  const mapping: MappingInput = { object, description: `proposed by mokodeploy migrate map suggest from ${header.length} columns and ${rows.length} rows`, key: { from: header[key]!, transforms: object === 'product' ? ['trim', { case: 'upper' }] : ['trim'] }, fields: {} };
  if (object === 'contact') {
    let parent = find(parentWords.byKey);
    let by: 'ref_ext' | 'nom' = 'ref_ext';
    if (parent < 0) {
      parent = find(parentWords.byName);
      by = 'nom';
    }
    if (parent >= 0) {
      used.add(parent);
      mapping.thirdparty = { from: header[parent]!, by };
      if (by === 'nom') notes.push(`thirdparty: contacts are linked by the third party's name ("${header[parent]}"); an id column of the companies file would be safer (by: ref_ext)`);
    } else notes.push('thirdparty: no column names the contact\'s company: contacts will have no third party');
  }
  if (object === 'thirdparty') {
    const type = find(['type', 'relation', 'type de tiers', 'typ', 'tipo', 'category', 'categorie']);
    const seen = type < 0 ? [] : [...new Set(values(type).map((v) => v.toLowerCase()))];
    if (type >= 0 && seen.length > 0 && seen.every((v) => v in partyTypes)) {
      used.add(type);
      const map = (k: 0 | 1) => Object.fromEntries(seen.map((v) => [v, partyTypes[v]![k]]));
      mapping.fields.client = { from: header[type]!, transforms: ['trim', { map: { ...map(0), '': 1 }, otherwise: 1 }] };
      mapping.fields.fournisseur = { from: header[type]!, transforms: ['trim', { map: map(1), otherwise: 0 }] };
    }
  }
  const country = find(columnWords[object].fk_pays ?? []);
  // National numbers get a calling code only when every row is in the same country.
  const codes = country < 0 ? [] : [...new Set(values(country).map((v) => v.toUpperCase()))];
  const phoneCountry = codes.length === 1 && /^[A-Z]{2}$/.test(codes[0]!) ? codes[0] : undefined;
  for (const [column, words] of Object.entries(columnWords[object])) {
    if (column in mapping.fields) continue;
    const i = find(words.map(normaliseWord));
    if (i < 0) continue;
    const field = fieldFor(object, column, header[i]!, values(i), phoneCountry, notes);
    if (!field) continue;
    used.add(i);
    mapping.fields[column] = field;
  }
  // By value: a column of e-mail addresses nobody named "email".
  if (!('email' in mapping.fields)) {
    const i = header.findIndex((_, j) => !used.has(j) && values(j).length > 0 && values(j).every((v) => emailLike.test(v)));
    if (i >= 0) {
      used.add(i);
      mapping.fields.email = { from: header[i]!, transforms: ['email'] };
      notes.push(`fields.email: "${header[i]}" holds e-mail addresses`);
    }
  }
  const need = required[object];
  if (!(need in mapping.fields)) notes.push(`fields.${need}: Dolibarr requires it and no column was recognised: add it (from: COLUMN)`);
  const left = header.filter((_, i) => !used.has(i) && header[i] !== '');
  if (left.length > 0) notes.push(`not mapped: ${left.map((h) => `"${h}"`).join(', ')} (add them under fields if they matter; \`mokodeploy migrate schema mapping\` lists what a field may hold)`);
  return { mapping, notes };
}

function fieldFor(object: ObjectKind, column: string, from: string, seen: string[], phoneCountry: string | undefined, notes: string[]): Field | undefined {
  const lower = seen.map((v) => v.toLowerCase());
  const t = (...transforms: Transform[]): Field => ({ from, transforms });
  if (column === required[object]) return { from, transforms: ['collapse-spaces'], required: true };
  if (column === 'email') return t('email');
  if (['phone', 'phone_mobile', 'fax'].includes(column)) return t({ phone: phoneCountry ? { country: phoneCountry } : {} });
  if (column === 'fk_pays') return t('country');
  if (column === 'birthday') {
    const d = suggestDates(seen);
    notes.push(...d.notes.map((n) => `fields.birthday ("${from}"): ${n}`));
    return d.formats.length > 0 ? t({ date: d.formats.length === 1 ? d.formats[0]! : d.formats }) : undefined;
  }
  if (column === 'client' || column === 'fournisseur') {
    if (!lower.every((v) => booleanWords.has(v))) return undefined;
    return t('trim', 'boolean');
  }
  if (column === 'fk_product_type') {
    if (!lower.every((v) => v in productTypes)) return undefined;
    return t('trim', { map: Object.fromEntries([...new Set(lower)].map((v) => [v, productTypes[v]!])), otherwise: 0 });
  }
  if (['price', 'tva_tx', 'weight'].includes(column)) return t('number', { default: 0 });
  if (['tva_intra', 'code_client'].includes(column)) return t('trim', 'empty-is-null', { case: 'upper' });
  return t('collapse-spaces', 'empty-is-null');
}

/** The proposal as a YAML file to edit: the notes first, as comments. */
export function renderSuggestion(s: Suggestion, file: string): string {
  const head = [`# Mapping proposed for ${file} by \`mokodeploy migrate map suggest\`: check it, then use it as the job's mapping.`, ...s.notes.map((n) => `# CHECK ${n}`)];
  return `${head.join('\n')}\n${stringify(s.mapping)}`;
}
