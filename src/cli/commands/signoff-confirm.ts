import { closeSync, openSync, readSync } from 'node:fs';
import type { AppContext } from '../../app/context.js';
import { inputError } from '../../core/errors.js';
import type { Evidence, SignoffConfirmation } from '../../core/record.js';

export const collect = (v: string, prev: string[] = []) => [...prev, v];

export interface ConfirmOptions {
  signatory?: string;
  confirm?: string[];
  confirmLink?: string[];
  confirmFile?: string[];
}

function split(flag: string, value: string): [string, string] {
  const at = value.indexOf('=');
  if (at <= 0 || at === value.length - 1)
    throw inputError(`${flag} "${value}" is not ITEM=VALUE`, { fix: `e.g. ${flag} support-confirmed=...` });
  return [value.slice(0, at), value.slice(at + 1)];
}

/**
 * The client sign-off's items as the core takes them (policy "Client Sign-Off"): `--confirm item` is confirmed by
 * the --signatory, `--confirm item=Name` by another named client person, `--confirm-link/--confirm-file` add
 * evidence to an item.
 */
export async function confirmationsFrom(a: AppContext, o: ConfirmOptions): Promise<SignoffConfirmation[]> {
  const byItem = new Map<string, SignoffConfirmation>();
  const entry = (item: string) => {
    const c = byItem.get(item) ?? { item, evidence: [] as Evidence[] };
    byItem.set(item, c);
    return c;
  };
  for (const v of o.confirm ?? []) {
    const [item, name] = v.includes('=') ? split('--confirm', v) : [v, o.signatory];
    if (!name)
      throw inputError(`--confirm ${item} names no client signatory`, {
        fix: `give --signatory "Name, title" or --confirm ${item}="Name, title"`,
      });
    entry(item).signatory = name;
  }
  for (const v of o.confirmLink ?? []) {
    const [item, url] = split('--confirm-link', v);
    entry(item).evidence.push({ kind: 'link', url });
  }
  for (const v of o.confirmFile ?? []) {
    const [item, path] = split('--confirm-file', v);
    entry(item).evidence.push(await a.storeEvidenceFile(path));
  }
  return [...byItem.values()];
}

/** A file named .pdf that is delivered as the handoff pack must be a PDF (its first bytes say so). */
export function assertPdfIfNamedSo(path: string): void {
  if (!/\.pdf$/i.test(path)) return;
  const head = Buffer.alloc(5);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw inputError(`cannot read the evidence file: ${(e as Error).message}`, { where: path });
  }
  try {
    readSync(fd, head, 0, 5, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1') !== '%PDF-')
    throw inputError('the file is named .pdf but is not a PDF', {
      where: path,
      fix: 'attach the PDF written by: mokodeploy report ID handoff --as <login>',
    });
}
