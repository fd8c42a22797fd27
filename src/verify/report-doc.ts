import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { DolibarrApi } from './api-client.js';
import type { VerifyContext } from './context.js';

/**
 * Policy "Reports generate correctly": a draft document of a temporary third party, its PDF built by Dolibarr
 * itself through the REST API — PUT /documents/builddoc (api/class/api_documents.class.php builddoc(): the object
 * is fetched by the file's base name, generateDocument() with its default template, the file written to
 * <DATA_ROOT>/<dir>/<ref>/<ref>.pdf and returned base64) — then the object removed (its delete() removes that
 * directory). One document kind per module that makes PDFs; the first enabled one is used.
 */
export interface DocumentKind {
  module: string;
  /** llx_const name that says the module is on. */
  constName: string;
  /** REST resource (comm/propal/class/api_proposals.class.php, compta/facture/class/api_invoices.class.php). */
  api: string;
  /** builddoc's modulepart. */
  modulepart: string;
  /** Directory under DATA_ROOT (the module's dir_output). */
  dir: string;
  label: string;
  /** Fields the create call needs beside socid and date. */
  fields?: Record<string, unknown>;
}

export const documentKinds: DocumentKind[] = [
  {
    module: 'modPropale',
    constName: 'MAIN_MODULE_PROPALE',
    api: 'proposals',
    // 'proposal' passes builddoc but not dol_check_secure_access_document() (core/lib/files.lib.php, 20.0.2)
    modulepart: 'propal',
    dir: 'propale',
    label: 'proposal',
  },
  {
    module: 'modFacture',
    constName: 'MAIN_MODULE_FACTURE',
    api: 'invoices',
    modulepart: 'facture',
    dir: 'facture',
    label: 'invoice',
    fields: { type: 0 },
  },
];

export async function enabledDocumentKind(ctx: VerifyContext): Promise<DocumentKind | undefined> {
  const names = documentKinds.map((k) => `'${k.constName}'`).join(', ');
  const on = new Set(
    (
      await ctx.db.query(
        `SELECT name FROM llx_const WHERE name IN (${names}) AND value <> '0' AND value <> ''`,
      )
    ).map((r) => r[0]),
  );
  return documentKinds.find((k) => on.has(k.constName));
}

export interface BuiltDocument {
  kind: DocumentKind;
  id: number;
  ref: string;
  thirdpartyId: number;
  file: string;
  template: string;
  pdf: Buffer;
  /** Absolute path on the target. */
  path: string;
}

/** Create the temporary third party and document (removal registered in ctx.cleanups) and build its PDF. */
export async function buildTestDocument(
  ctx: VerifyContext,
  api: DolibarrApi,
  kind: DocumentKind,
): Promise<BuiltDocument> {
  const tag = `MOKOVERIFY${ctx.now.toISOString().replace(/\D/g, '').slice(0, 14)}`;
  const tp = Number(
    await api.call('POST', 'thirdparties', { name: `${tag} report`, client: 1, code_client: '-1' }),
  );
  ctx.cleanups.push(() => api.call('DELETE', `thirdparties/${tp}`).then(() => undefined));
  const date = Math.floor(ctx.now.getTime() / 1000);
  const id = Number(await api.call('POST', kind.api, { socid: tp, date, ...kind.fields }));
  ctx.cleanups.push(() => api.call('DELETE', `${kind.api}/${id}`).then(() => undefined));
  const { ref } = (await api.call('GET', `${kind.api}/${id}`)) as { ref: string };
  const built = (await api.call('PUT', 'documents/builddoc', {
    modulepart: kind.modulepart,
    original_file: `${ref}/${ref}.pdf`,
  })) as { filename?: string; content?: string; template?: string };
  return {
    kind,
    id,
    ref,
    thirdpartyId: tp,
    file: built.filename ?? `${ref}.pdf`,
    template: built.template || 'default',
    pdf: Buffer.from(built.content ?? '', 'base64'),
    path: posix.join(ctx.plan.target.dataRoot, kind.dir, ref, `${ref}.pdf`),
  };
}

/** What is wrong with the PDF (empty when it is one): header, trailer, at least one page. */
export function pdfProblems(pdf: Buffer): string[] {
  const text = pdf.toString('latin1');
  const problems: string[] = [];
  if (pdf.length === 0) return ['the answer carried no file'];
  if (!text.startsWith('%PDF-'))
    problems.push(`does not start with %PDF- (starts with ${JSON.stringify(text.slice(0, 12))})`);
  if (!/%%EOF\s*$/.test(text.slice(-64))) problems.push('has no %%EOF trailer (truncated?)');
  if (!/\/Type\s*\/Page\b/.test(text) && !/\/ObjStm/.test(text)) problems.push('has no page');
  return problems;
}

export const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

/** The PDF as stored on the target, read as the web user: its sha256, or why it cannot be read. */
export async function storedSha256(
  ctx: VerifyContext,
  path: string,
): Promise<{ sha?: string; why?: string }> {
  const r = await ctx.host.run({ argv: ['sha256sum', '--', path], asUser: ctx.plan.target.webUser });
  if (r.code !== 0) return { why: (r.stderr.trim() || `exit ${r.code}`).slice(0, 200) };
  return { sha: r.stdout.split(/\s/)[0] };
}
