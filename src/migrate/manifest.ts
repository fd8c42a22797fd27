import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { inputError } from '../core/errors.js';
import { parseYamlWithSchema } from '../core/yaml-input.js';
import { secretRef } from '../core/plan.js';

/**
 * The migration file: where to write (the target Dolibarr database, its password named as a
 * secret, never written here) and what to import, in order. Paths are relative to this file.
 */
export const manifestSchema = z.strictObject({
  target: z.strictObject({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(1).max(65535).default(3306),
    socket: z.string().optional(),
    database: z.string().regex(/^[A-Za-z0-9_]{1,64}$/),
    user: z.string().min(1),
    password: secretRef,
    prefix: z.string().regex(/^[A-Za-z0-9_]*$/).default('llx_'),
  }),
  /** Dolibarr entity (multi-company); 1 unless the multicompany module is used. */
  entity: z.number().int().min(1).default(1),
  /** Login of the Dolibarr user recorded as creator (llx_user); none when omitted. */
  createdBy: z.string().optional(),
  jobs: z.array(z.strictObject({ file: z.string().min(1), mapping: z.string().min(1) })).min(1),
});
export type Manifest = z.infer<typeof manifestSchema>;

export function readManifest(path: string): Manifest & { dir: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw inputError(`cannot read the migration file: ${(e as Error).message}`, { where: path });
  }
  const m = parseYamlWithSchema(text, path, manifestSchema, 'migration');
  const dir = dirname(resolve(path));
  const rel = (p: string) => (p.startsWith('default:') ? p : resolve(dir, p));
  return { ...m, dir, jobs: m.jobs.map((j) => ({ file: resolve(dir, j.file), mapping: rel(j.mapping) })) };
}
