import { sha256Hex } from '../core/canonical.js';
import { notFound, refused } from '../core/errors.js';

/**
 * Evidence files (issue 20): content-addressed by their sha256, in a directory (`<home>/evidence/<sha256>`, the
 * default) or an S3-compatible bucket (`<prefix>/<sha256>`), so machines sharing a PostgreSQL store share the
 * evidence too. Every read is checked against the sha256 it was asked for: a changed file is refused, never served.
 */
export interface EvidenceFiles {
  /** Where the files are, fit to print (never a credential). */
  readonly location: string;
  /** Store these bytes (once per content); returns their sha256. */
  put(content: Buffer): Promise<string>;
  /** The bytes of `sha256`, checked: not-found when absent, refused when they no longer hash to it. */
  get(sha256: string): Promise<Buffer>;
  has(sha256: string): Promise<boolean>;
  /** Every sha256 held (`store migrate` moves them). */
  list(): Promise<string[]>;
  close(): void;
}

export const isSha256 = (text: string): boolean => /^[a-f0-9]{64}$/.test(text);

export function evidenceNotFound(sha256: string, location: string) {
  return notFound(`no evidence file ${sha256.slice(0, 64)} in ${location}`, {
    fix: 'the record names a file this evidence location does not hold: check --evidence-store / MOKODEPLOY_EVIDENCE, or copy the files there (mokodeploy store migrate --evidence-to)',
  });
}

/** The bytes came back; they must still be the file the record names. */
export function checkedContent(sha256: string, content: Buffer, location: string): Buffer {
  const got = sha256Hex(content);
  if (got !== sha256)
    throw refused(
      `evidence file ${sha256} in ${location} was changed: its content hashes to ${got}, not served`,
      {
        fix: 'restore the original file (from a backup or another copy of the evidence); the record keeps its sha256',
      },
    );
  return content;
}
