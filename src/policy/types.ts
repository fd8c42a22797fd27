import { z } from 'zod';

/** Schema of policy/mokocrm-deployment-policy.yaml: the policy as data, validated at start-up. */

const idLabel = z.strictObject({ id: z.string().min(1), label: z.string().min(1) });
const minVersion = z.strictObject({ min: z.string().regex(/^\d+(\.\d+)*$/) });
const roleRef = z.enum(['deployment-manager', 'technical-lead', 'client-success-manager', 'qa']);
const roleItem = idLabel.extend({
  role: roleRef,
  auto: z.enum(['approval', 'validation', 'backup']).optional(),
});

/** An environment requirement; `warnBlocks`: a warning on it keeps the gate closed like a failure. */
const envItem = idLabel.extend({ warnBlocks: z.boolean().optional() });
/** A verification item; `maxSeconds`: the policy threshold that decides pass/fail whatever the source. */
const verificationItem = idLabel.extend({
  optional: z.boolean().optional(),
  maxSeconds: z.number().positive().optional(),
});

export const policySchema = z.strictObject({
  version: z.string().min(1),
  title: z.string(),
  source: z.string(),
  scope: z.strictObject({
    section: z.string(),
    appliesTo: z.array(idLabel).min(1),
    environmentClasses: z.array(idLabel.extend({ policyApplies: z.boolean() })).min(1),
  }),
  roles: z
    .array(
      z.strictObject({
        id: roleRef,
        label: z.string(),
        section: z.string(),
        accountableFor: z.array(z.string()),
      }),
    )
    .length(4),
  permissions: z.record(z.string().regex(/^[a-z-]+\.[a-z-]+$/), z.array(roleRef).min(1)),
  separation: z.array(z.strictObject({ id: z.string(), section: z.string(), rule: z.string() })),
  checklist: z.strictObject({ section: z.string(), mandatory: z.array(roleItem).length(10) }),
  environment: z.strictObject({
    section: z.string(),
    validationMaxAgeHours: z.number().positive(),
    server: z.strictObject({
      section: z.string(),
      php: z.strictObject({ id: z.string(), min: z.string() }),
      database: z.strictObject({
        id: z.string(),
        mariadb: minVersion,
        mysql: minVersion,
        charset: z.string(),
        collation: z.string(),
      }),
      webServer: z.strictObject({ id: z.string(), apache: minVersion, nginx: minVersion }),
      tls: z.strictObject({ id: z.string(), expiryWarningDays: z.number().int().nonnegative() }),
      phpExtensions: z.strictObject({ id: z.string() }),
      diskFreeGb: z.strictObject({ id: z.string(), min: z.number().positive() }),
      memoryGb: z.strictObject({ id: z.string(), min: z.number().positive() }),
    }),
    security: z.strictObject({
      section: z.string(),
      items: z.array(envItem),
      backupMaxAgeHours: z.number().positive(),
    }),
    network: z.strictObject({
      section: z.string(),
      items: z.array(envItem),
      requiredPorts: z.array(z.number().int().min(1).max(65535)),
    }),
  }),
  customizationReview: z.strictObject({
    section: z.string(),
    appliesWhen: z.string(),
    items: z.array(roleItem),
  }),
  dataMigrationValidation: z.strictObject({
    section: z.string(),
    appliesWhen: z.string(),
    items: z.array(roleItem),
  }),
  /** Issue 18: "Multi-Entity Deployment" items for plans with entities (optional for older policy files). */
  multiEntity: z
    .strictObject({
      section: z.string(),
      appliesWhen: z.string(),
      items: z.array(roleItem),
    })
    .optional(),
  procedures: z.strictObject({
    section: z.string(),
    phases: z.array(idLabel.extend({ steps: z.array(idLabel) })),
    fileModes: z.strictObject({
      directories: z.string().regex(/^[0-7]{3,4}$/),
      files: z.string().regex(/^[0-7]{3,4}$/),
      confPhp: z.string().regex(/^[0-7]{3,4}$/),
    }),
    businessHours: z.strictObject({
      days: z.array(z.number().int().min(0).max(6)),
      start: z.string().regex(/^\d\d:\d\d$/),
      end: z.string().regex(/^\d\d:\d\d$/),
    }),
    window: z.strictObject({
      minNoticeHours: z.number().nonnegative(),
      emergencyExceptionHours: z.number().positive(),
    }),
  }),
  verification: z.strictObject({
    section: z.string(),
    functional: z.array(verificationItem),
    security: z.array(verificationItem),
    performance: z.array(verificationItem),
    pageLoadMaxSeconds: z.number().positive(),
  }),
  handoff: z.strictObject({
    section: z.string(),
    deliverables: z.array(idLabel.extend({ group: z.enum(['system', 'operational', 'training']) })),
  }),
  training: z.strictObject({
    section: z.string(),
    sessions: z.array(
      idLabel.extend({
        minHours: z.number().optional(),
        maxHours: z.number().optional(),
        required: z.boolean(),
      }),
    ),
  }),
  support: z.strictObject({
    section: z.string(),
    hypercareDays: z.strictObject({ min: z.number().int().positive(), max: z.number().int().positive() }),
    dailyCheckInDays: z.number().int().nonnegative(),
    activities: z.array(z.string()),
  }),
  signoffs: z.strictObject({
    section: z.string(),
    kinds: z.array(
      idLabel.extend({
        id: z.enum(['technical', 'go-live', 'client']),
        role: roleRef,
        requires: z.array(z.string()),
        /** Items confirmed one by one, each with evidence or a named client signatory. */
        items: z.array(idLabel).optional(),
      }),
    ),
    documentation: z.array(z.string()),
    closing: z.array(idLabel.extend({ id: z.enum(['deployment-report', 'knowledge-base']) })),
  }),
  rollback: z.strictObject({
    section: z.string(),
    triggers: z.array(idLabel.extend({ critical: z.boolean() })),
    process: z.array(z.string()),
  }),
  metrics: z.strictObject({
    section: z.string(),
    tracked: z.array(idLabel.extend({ unit: z.string() })),
    satisfactionScale: z.strictObject({ min: z.number().int(), max: z.number().int() }),
  }),
  reviews: z.strictObject({ section: z.string(), cadence: z.array(idLabel) }),
  audit: z.strictObject({ section: z.string(), recordKinds: z.array(idLabel) }),
});

export type Policy = z.output<typeof policySchema>;
export type PolicyRole = Policy['roles'][number]['id'];
export type Permission = keyof Policy['permissions'];
