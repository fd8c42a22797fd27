import { basename } from 'node:path';
import type { AppContext } from '../app/context.js';
import type { Evidence } from '../core/record.js';
import { inputError } from '../core/errors.js';

/** A file name safe to use on disk: its last path part, without control or separator characters. */
export function safeFileName(name: string): string {
  const base = basename(name.replace(/\\/g, '/'));
  const cleaned = [...base]
    .map((c) => (c.charCodeAt(0) < 0x20 ? '_' : c))
    .join('')
    .slice(0, 200);
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'evidence' : cleaned;
}

/** Store an uploaded file in the app's evidence location (one place stores evidence: the directory or the bucket). */
export function storeUploadedEvidence(app: AppContext, fileName: string, content: Buffer): Promise<Evidence> {
  return app.storeEvidence(safeFileName(fileName), content);
}

/** File evidence given as JSON must name a file already in the evidence store (upload it first). */
export async function assertEvidenceStored(app: AppContext, input: unknown): Promise<void> {
  const evidence = (input as { evidence?: unknown } | null)?.evidence;
  if (!Array.isArray(evidence)) return;
  for (const e of evidence as { kind?: string; sha256?: unknown }[]) {
    if (e?.kind !== 'file') continue;
    if (
      typeof e.sha256 !== 'string' ||
      !/^[a-f0-9]{64}$/.test(e.sha256) ||
      !(await app.evidenceFiles().has(e.sha256))
    ) {
      throw inputError('file evidence names a file that is not in the evidence store', {
        fix: 'upload the file: POST /api/evidence (multipart) and use the evidence it returns',
      });
    }
  }
}
