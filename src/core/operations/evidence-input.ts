import { z } from 'zod';

/** Evidence as the core receives it: files are already stored by the edge (content-addressed). */
export const evidenceInput = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('text'), text: z.string().min(1) }),
  z.strictObject({
    kind: z.literal('file'),
    name: z.string().min(1),
    sha256: z.string().regex(/^[a-f0-9]{64}$/),
    size: z.number().int().nonnegative(),
  }),
  z.strictObject({ kind: z.literal('link'), url: z.string().url() }),
  z.strictObject({
    kind: z.literal('backup'),
    path: z.string().min(1),
    sha256: z.string().regex(/^[a-f0-9]{64}$/),
  }),
]);
