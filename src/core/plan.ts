import { isIP } from 'node:net';
import { z } from 'zod';
import { checkApiAccessEntities } from './plan-api-access.js';
import {
  absolutePath,
  dbAccount,
  dolibarrLogin,
  dolibarrRight,
  email,
  freeText,
  hostOrAddress,
  hostname,
  localPath,
  login,
  mappingRef,
  oneLine,
  pathOrUrl,
  personLogin,
  secretName,
  serviceName,
  siteUrl,
  targetHost,
  timezone,
} from './plan-strings.js';
import { entitiesSection } from '../entities/plan-section.js';
import { integration } from './plan-integrations.js';

/**
 * The deployment plan: what a technical lead writes (plans/<client>.yaml) and the deployment
 * manager approves. One schema, validated once at the edge (STYLE.md 6), also exported as
 * JSON Schema for editor completion (`mokodeploy plan schema`).
 */

const slug = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,62}$/,
    'lower-case letters, digits and dashes, starting with a letter or digit',
  );

/** A reference to a secret kept in the encrypted secret store: plans never hold secrets. */
export const secretRef = z.strictObject({
  secret: secretName,
});

const version = z.string().regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$/, 'a version like 20.0.2');
const sha256 = z.string().regex(/^[a-f0-9]{64}$/, '64 lower-case hex digits (sha256)');

export const deploymentKinds = [
  'new',
  'upgrade',
  'customization',
  'data-migration',
  'integration',
  'multi-entity',
  'disaster-recovery',
] as const;

export const environmentClasses = ['production', 'staging', 'internal', 'poc'] as const;

export const roleIds = ['deployment-manager', 'technical-lead', 'client-success-manager', 'qa'] as const;
export type RoleId = (typeof roleIds)[number];

const target = z.strictObject({
  /** "local" for this machine, else a hostname or address reached over SSH. */
  host: targetHost,
  port: z.number().int().min(1).max(65535).default(22),
  user: login.optional(),
  identityFile: localPath.optional(),
  knownHostsFile: localPath.optional(),
  sudo: z.boolean().default(false),
  /** Base directory: releases/, current, shared/ live under it (DESIGN.md "On the target"). */
  root: absolutePath,
  dataRoot: absolutePath,
  backupRoot: absolutePath,
  webUser: login.default('www-data'),
  webGroup: login.default('www-data'),
  webServer: z.enum(['nginx', 'apache']).default('nginx'),
  /** Where web server site files go, e.g. /etc/nginx/sites-enabled. */
  webConfigDir: absolutePath.optional(),
  phpFpmPoolDir: absolutePath.optional(),
  phpFpmService: serviceName.optional(),
  phpFpmSocket: absolutePath.optional(),
  /**
   * "systemd": the tool reloads nginx/Apache/PHP-FPM with systemctl. "none": the tool writes the
   * site and pool files and the operator (or a supervisor) reloads the services.
   */
  serviceManager: z.enum(['systemd', 'none']).default('systemd'),
  /** Where the scheduled-jobs cron entry goes (default /etc/cron.d). */
  cronDir: absolutePath.optional(),
});

const site = z.strictObject({
  domain: hostname,
  url: siteUrl,
  httpPort: z.number().int().min(1).max(65535).default(80),
  httpsPort: z.number().int().min(1).max(65535).default(443),
  /** Addresses the site binds to (several interfaces, a reverse proxy in front); default: every interface. */
  listen: z
    .array(
      z
        .string()
        .refine(
          (a) => isIP(a) !== 0,
          'must be an IP address the server has (IPv4 like 192.0.2.10, IPv6 like 2001:db8::1), not a name',
        ),
    )
    .min(1, 'list at least one address, or leave listen out to listen on every interface')
    .optional(),
  tls: z.strictObject({ certificate: absolutePath, key: absolutePath, chain: absolutePath.optional() }),
});

const database = z.strictObject({
  type: z.enum(['mariadb', 'mysql']).default('mariadb'),
  host: hostOrAddress.default('localhost'),
  port: z.number().int().min(1).max(65535).default(3306),
  socket: absolutePath.optional(),
  name: z.string().regex(/^[A-Za-z0-9_]{1,64}$/, 'letters, digits and _ (at most 64)'),
  user: z.string().regex(/^[A-Za-z0-9_]{1,32}$/, 'letters, digits and _ (at most 32)'),
  password: secretRef,
  /** An account allowed to create the database and user; omitted when connecting as root by socket. */
  admin: z.strictObject({ user: dbAccount, password: secretRef.optional() }).optional(),
});

const company = z.strictObject({
  name: oneLine(),
  /** ISO 3166 alpha-2, e.g. FR. */
  country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 alpha-2 code like FR'),
  address: oneLine().optional(),
  zip: oneLine(20).optional(),
  town: oneLine().optional(),
  email: email.optional(),
  phone: oneLine(40).optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
});

const user = z.strictObject({
  login: dolibarrLogin,
  firstname: oneLine().optional(),
  lastname: oneLine(),
  email: email.optional(),
  admin: z.boolean().default(false),
  password: secretRef,
  /** Rights as Dolibarr module/permission pairs, e.g. "societe.lire". */
  rights: z.array(dolibarrRight).default([]),
});

const customModule = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9]*$/, 'the module directory name, lower case, e.g. mokoinvoice'),
  /** A directory or a .zip / .tgz archive; an http(s) URL (with its sha256) is downloaded by `mokodeploy package`. */
  source: pathOrUrl,
  sha256: sha256.optional(),
});

const dataImport = z.strictObject({
  object: z.enum(['thirdparties', 'contacts', 'products']),
  file: localPath,
  mapping: mappingRef.optional(),
  /** The Dolibarr entity the rows go into (issue 18): 1, or an id of the plan's entities. */
  entity: z.number().int().min(1).max(999).default(1),
});


const window = z
  .strictObject({
    start: z.iso.datetime({ offset: true }),
    end: z.iso.datetime({ offset: true }),
    timezone: timezone.default('UTC'),
  })
  .refine((w) => Date.parse(w.end) > Date.parse(w.start), {
    message: 'end must be after start',
    path: ['end'],
  });

/** A client contact (issue 16 "Communication"): who approves, who uses the system, who runs its IT. */
export const contactRoles = ['approver', 'key-user', 'it'] as const;
const contact = z.strictObject({
  name: oneLine(),
  email,
  role: z.enum(contactRoles),
});

export const planSchema = z.strictObject({
  client: slug,
  clientName: oneLine(),
  /** Deployment id; defaults to <client>-<yyyy>-<mm> of the window start. */
  id: slug.optional(),
  kind: z.enum(deploymentKinds),
  environment: z.enum(environmentClasses).default('production'),
  description: freeText.optional(),
  requirements: freeText.optional(),
  dolibarr: z.strictObject({
    version,
    /** A release tarball path or URL, checked against sha256 when given. */
    release: pathOrUrl,
    sha256: sha256.optional(),
    upgradeFrom: version.optional(),
    /** Issue 17: Dolibarr's anonymous first ping is off on client installs unless this opts in (src/integrations/telemetry.ts). */
    telemetry: z.boolean().default(false),
  }),
  target,
  site,
  database,
  company,
  email: z
    .strictObject({
      from: email,
      smtpHost: hostOrAddress.default('localhost'),
      smtpPort: z.number().int().min(1).max(65535).default(25),
      testRecipient: email.optional(),
    })
    .optional(),
  admin: z.strictObject({ login: dolibarrLogin, password: secretRef }),
  users: z.array(user).default([]),
  modules: z.array(z.string().regex(/^mod[A-Z][A-Za-z0-9]*$/, 'a module class like modSociete')).default([]),
  customModules: z.array(customModule).default([]),
  data: z.array(dataImport).default([]),
  /** Multi-entity clients (issue 18): src/entities/plan-section.ts. */
  entities: entitiesSection(company, user),
  integrations: z.array(integration).default([]),
  window: window.optional(),
  /** The client's contacts: the approver gets the window invitation and the sign-off request (policy "Communicate with client"). */
  contacts: z.array(contact).default([]),
  /** People by role: logins from the team file. */
  people: z.strictObject({
    'deployment-manager': personLogin,
    'technical-lead': personLogin,
    'client-success-manager': personLogin,
    qa: personLogin,
  }),
  validation: z.strictObject({ maxAgeHours: z.number().positive().optional() }).optional(),
  rollbackOnCriticalFailure: z.boolean().default(false),
  /** kind disaster-recovery: the backup to recover from (its stamp under target.backupRoot; default the newest). */
  recovery: z
    .strictObject({
      backup: z
        .string({
          // YAML reads an unquoted stamp (backup: 20261206041238) as a number (issue 23)
          error: (i) =>
            typeof i.input === 'number'
              ? `a backup stamp is text: YAML read ${i.input} as a number; quote it: backup: "${i.input}"`
              : undefined,
        })
        .regex(/^\d{14}$/, 'a backup stamp like 20261205203000')
        .optional(),
      /** Reset the admin's password to the plan's admin secret after the restore (Dolibarr's User::setPassword); default: the backup's stays. */
      resetAdminPassword: z.boolean().optional(),
    })
    .optional(),
}).superRefine(checkApiAccessEntities); // issue 17 x 18: an API connection names entities of this plan

export type Plan = z.output<typeof planSchema>;
export type PlanInput = z.input<typeof planSchema>;
export type SecretRef = z.output<typeof secretRef>;

export function planJsonSchema(): unknown {
  return z.toJSONSchema(planSchema, { io: 'input', target: 'draft-2020-12' });
}
