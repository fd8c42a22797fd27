import { z } from 'zod';

/**
 * The mapping file (STYLE.md 6: one schema per input). Policy "Data Migration Validation:
 * Data mapping documented": the mapping is the documentation of how source columns become
 * Dolibarr fields, kept next to the migration and attached to its report.
 */
const caseRule = z.enum(['upper', 'lower', 'title']);

export const transformSchema = z.union([
  z.literal('trim'),
  z.literal('collapse-spaces'),
  z.literal('email'),
  z.literal('country'),
  z.literal('number'),
  z.literal('integer'),
  z.literal('boolean'),
  z.literal('empty-is-null'),
  z.strictObject({ case: caseRule }),
  z.strictObject({
    date: z
      .union([z.string().min(2), z.array(z.string().min(2)).min(1)])
      .describe('source format(s), tried in order, e.g. [YYYY-MM-DD, DD/MM/YYYY, D/M/YY]: the first that reads a real date wins (so the order settles day/month); YY is 2000-2069 for 00-69, 1970-1999 for 70-99'),
  }),
  z.strictObject({ phone: z.strictObject({ country: z.string().regex(/^[A-Z]{2}$/).optional() }) }),
  z.strictObject({ map: z.record(z.string(), z.union([z.string(), z.number(), z.null()])), otherwise: z.union([z.string(), z.number(), z.null()]).optional() }),
  z.strictObject({ default: z.union([z.string(), z.number()]) }),
]);
export type Transform = z.infer<typeof transformSchema>;

const fieldSchema = z.union([
  z.strictObject({
    from: z.string().min(1).describe('source column name (as in the header)'),
    transforms: z.array(transformSchema).default([]),
    required: z.boolean().default(false),
  }),
  z.strictObject({ value: z.union([z.string(), z.number(), z.null()]).describe('a constant for every row') }),
]);
export type FieldMapping = z.infer<typeof fieldSchema>;

export const mappingSchema = z.strictObject({
  object: z.enum(['thirdparty', 'contact', 'product']),
  description: z.string().optional(),
  /** The source column identifying a row: stored as ref_ext (product: ref) so re-runs never duplicate. */
  key: z.strictObject({ from: z.string().min(1), transforms: z.array(transformSchema).default(['trim']) }),
  fields: z.record(z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a Dolibarr column name'), fieldSchema),
  /** Contacts: the source column holding the third party's external key (its ref_ext). */
  thirdparty: z.strictObject({ from: z.string().min(1), by: z.enum(['ref_ext', 'code_client', 'nom']).default('ref_ext') }).optional(),
});
export type Mapping = z.infer<typeof mappingSchema>;
export type MappingInput = z.input<typeof mappingSchema>;
