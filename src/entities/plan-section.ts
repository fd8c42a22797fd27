import { z } from 'zod';
import { absolutePath, oneLine, rawHtmlLabel } from '../core/plan-strings.js';

/**
 * The plan's `entities` section (issue 18, policy "Multi-Entity Deployment"): the Dolibarr entities of a
 * multi-entity client, made with the multicompany module. Entity 1 is the master (the plan's `company`, created
 * by the module when it is enabled); entities 2..N are created in order, so their ids are known in advance.
 * Built from the plan's own company and user schemas (plan.ts passes them: no import cycle).
 */
export function entitiesSection<C extends z.ZodType, U extends z.ZodType>(company: C, user: U) {
  const entity = z
    .strictObject({
      /** The entity's rowid in llx_entity: 1 = the master entity, 2.. = created by mokodeploy in this order. */
      id: z.number().int().min(1).max(999),
      /** Printed raw by the multicompany login selector (select_entities(), l.4335-4395): no < or >. */
      label: rawHtmlLabel(),
      description: oneLine(500).optional(),
      /** The entity's company (MAIN_INFO_SOCIETE_*, MAIN_MONNAIE); required from entity 2 on. */
      company: company.optional(),
      /** MAIN_LANG_DEFAULT of the entity, e.g. fr_BE. */
      language: z
        .string()
        .regex(/^[a-z]{2}_[A-Z]{2}$/, 'a Dolibarr language code like fr_FR')
        .optional(),
      /** Modules enabled in this entity only (activateModule() with the entity as current). */
      modules: z
        .array(z.string().regex(/^mod[A-Z][A-Za-z0-9]*$/, 'a module class like modSociete'))
        .default([]),
      /** Constants of this entity (llx_const rows of its entity). */
      constants: z
        .array(
          z.strictObject({
            name: z.string().regex(/^[A-Z][A-Z0-9_]{1,179}$/, 'a constant name like MAIN_SIZE_LISTE_LIMIT'),
            value: oneLine(1000),
          }),
        )
        .default([]),
      /** Branding: a logo file on the target (.png or .jpg) and the top menu colour. */
      branding: z
        .strictObject({
          logo: absolutePath
            .regex(/\.(png|jpe?g)$/i, 'a .png or .jpg file (Dolibarr takes only these as logo)')
            .optional(),
          topMenuColor: z
            .string()
            .regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #1a5276')
            .optional(),
        })
        .optional(),
      /** Users of this entity only (llx_user.entity = id), with their rights in it. */
      users: z.array(user).default([]),
    })
    .refine((e) => e.id === 1 || e.company !== undefined, {
      message: 'an entity other than 1 needs its company (name and country at least)',
      path: ['company'],
    })
    .refine((e) => !e.users.some((u) => (u as { admin?: boolean }).admin), {
      message:
        "an entity's users cannot be admins (an admin is a superadmin of every entity): give them rights, or list the admin in the top-level users",
      path: ['users'],
    });
  return z
    .array(entity)
    .default([])
    .superRefine((list, ctx) => {
      const created = list.map((e) => e.id).filter((id) => id > 1);
      const sorted = [...created].sort((a, b) => a - b);
      sorted.forEach((id, i) => {
        if (id !== i + 2)
          ctx.addIssue({
            code: 'custom',
            message: `entity ids are 2, 3, ... in a row (the module numbers them in creation order); found ${sorted.join(', ')}`,
            path: [list.findIndex((e) => e.id === id), 'id'],
          });
      });
      const seen = new Set<string>();
      list.forEach((e, i) => {
        const key = e.label.toLowerCase();
        if (seen.has(key))
          ctx.addIssue({ code: 'custom', message: `label "${e.label}" is used twice`, path: [i, 'label'] });
        seen.add(key);
      });
    });
}
