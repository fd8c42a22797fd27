import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../core/canonical.js';
import { ensurePrivateDir } from '../store/private-files.js';
import { checkedContent, evidenceNotFound, isSha256, type EvidenceFiles } from './files.js';

/** Evidence files in a directory, one file per sha256 (0600, directory 0700): the default `<home>/evidence`. */
export class DirEvidenceFiles implements EvidenceFiles {
  constructor(readonly dir: string) {}

  get location(): string {
    return this.dir;
  }

  async put(content: Buffer): Promise<string> {
    const sha256 = sha256Hex(content);
    ensurePrivateDir(this.dir);
    const target = join(this.dir, sha256);
    // an existing file is kept only when it still holds these bytes (a changed one is replaced)
    if (!existsSync(target) || sha256Hex(readFileSync(target)) !== sha256) {
      const tmp = `${target}.${process.pid}.tmp`; // never a half-written file under its final name
      writeFileSync(tmp, content, { mode: 0o600 });
      renameSync(tmp, target);
    }
    return sha256;
  }

  async get(sha256: string): Promise<Buffer> {
    if (!(await this.has(sha256))) throw evidenceNotFound(sha256, this.dir);
    return checkedContent(sha256, readFileSync(join(this.dir, sha256)), this.dir);
  }

  async has(sha256: string): Promise<boolean> {
    return isSha256(sha256) && existsSync(join(this.dir, sha256));
  }

  async list(): Promise<string[]> {
    return existsSync(this.dir) ? readdirSync(this.dir).filter(isSha256).sort() : [];
  }

  close(): void {}
}
