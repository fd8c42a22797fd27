import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * The string types of the plan (issue 12): each plan string is refused at the edge unless it fits where it
 * goes (a config line, a cron field, an argv word, a PHP literal). The renderers still escape (src/escape/):
 * these types are the first wall, not the only one.
 */

/** C0/C1 controls, DEL and the Unicode line/paragraph separators: never in a one-line value. */
// eslint-disable-next-line no-control-regex -- control characters are what is refused
const controls = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** The same, allowing newline and tab (free text shown only in reports). */
// eslint-disable-next-line no-control-regex -- control characters are what is refused
const controlsButNewline = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

/** One line of text: names, labels, addresses. No control characters, no newline. */
export const oneLine = (max = 200) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => !controls.test(s), 'one line of text without control characters (no newline, tab or NUL)');

/**
 * One line that a Dolibarr page prints without escaping, e.g. an entity label on the login page (multicompany
 * select_entities() echoes llx_entity.label raw), an email collector's filter value on its card
 * (admin/emailcollector_card.php l.718 in 20.0.2): no `<` or `>`, so it cannot become markup there.
 */
export const rawHtmlLabel = (max = 200, where = 'as HTML on its login page') =>
  oneLine(max).refine(
    (s) => !/[<>]/.test(s),
    `no < or > (Dolibarr prints this ${where}); write it without them`,
  );

/** Free text (descriptions): newlines allowed, other control characters not. */
export const freeText = z
  .string()
  .max(10_000)
  .refine((s) => !controlsButNewline.test(s), 'text without control characters (NUL, escape, ...)');

const label = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const hostnamePattern = new RegExp(`^(?=.{1,253}$)${label}(?:\\.${label})*$`);

/** A DNS name (RFC 1123): letters, digits, dashes inside labels, dots between them. */
export const hostname = z.string().regex(hostnamePattern, 'a host name like crm.example.com (RFC 1123)');

/** A host name or an IPv4/IPv6 address. */
export const hostOrAddress = z
  .string()
  .refine(
    (s) => hostnamePattern.test(s) || isIP(s) !== 0,
    'a host name like db.example.com (RFC 1123) or an IP address',
  );

const pathChars = /^[A-Za-z0-9._+@~/-]*$/;
const hasDotDot = (s: string) => s.split('/').includes('..');
const pathMessage = 'letters, digits and . _ - + @ ~ / only (no spaces, quotes or ..)';

/** An absolute path on a host: a conservative character set, no `..` segment, no newline. */
export const absolutePath = z
  .string()
  .max(4096)
  .regex(/^\//, 'an absolute path starting with /')
  .refine((s) => pathChars.test(s) && !hasDotDot(s), pathMessage);

/** A path on this machine (plan-relative allowed): same characters, no `..`, not starting with `-`. */
export const localPath = z
  .string()
  .min(1)
  .max(4096)
  .refine((s) => pathChars.test(s) && !hasDotDot(s) && !s.startsWith('-'), pathMessage);

/** A POSIX user or group name (Debian NAME_REGEX, at most 32). */
export const login = z
  .string()
  .regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'a POSIX user name: lower-case letters, digits, _ and -, at most 32');

/** A team login (src/core/team.ts). */
export const personLogin = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'a lower-case login from the team file, like alice');

/** A database account name (MariaDB allows more; we do not). */
export const dbAccount = z
  .string()
  .regex(
    /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,79}$/,
    'letters, digits, _ . - (at most 80, not starting with - or .)',
  );

/** A systemd unit name like php8.2-fpm. */
export const serviceName = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9@._-]{0,127}$/, 'a service name like php8.2-fpm');

const urlChars = /^[A-Za-z0-9._~:/?&=%+@[\]-]+$/;
const httpUrlOk = (s: string): boolean => {
  if (!urlChars.test(s) || s.length > 2048) return false;
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
};

/** An http(s) URL made of unreserved characters only (no quotes, spaces, #, ;, $, braces). */
export const httpUrl = z
  .string()
  .refine(httpUrlOk, 'an http:// or https:// URL like https://crm.example.com');

/** The site's root URL: https://host[:port][/path], nothing else (it goes into conf.php and links). */
export const siteUrl = z
  .string()
  .regex(
    new RegExp(`^https?://${label}(?:\\.${label})*(?::\\d{1,5})?(?:/(?!\\.\\.?(?:/|$))[A-Za-z0-9._~-]+)*/?$`),
    'a site URL like https://crm.example.com (http/https, host, optional port and path)',
  );

/** A path on this machine or an http(s) URL (the Dolibarr release). */
export const pathOrUrl = z
  .string()
  .refine((s) => (s.startsWith('/') ? pathChars.test(s) && !hasDotDot(s) : httpUrlOk(s)), {
    message: `an absolute path (${pathMessage}) or an http(s) URL`,
  });

/** An e-mail address on one line. */
export const email = z
  .email()
  .max(254)
  .refine((s) => !s.startsWith('-'), 'an e-mail address not starting with - (it could be read as an option)');

/** An IANA time zone name like Europe/Paris. */
export const timezone = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_+-]{0,31}(?:\/[A-Za-z0-9_+-]{1,32}){0,2}$/,
    'a time zone like Europe/Paris or UTC',
  );

/** A Dolibarr right: module.permission[.sub], e.g. societe.lire. */
export const dolibarrRight = z
  .string()
  .regex(/^[a-z0-9_]{1,64}(?:\.[a-z0-9_]{1,64}){0,2}$/, 'a right like societe.lire');

/** A secret name in the encrypted store: slash-separated lower-case words (no `..`, no leading -). */
export const secretName = z
  .string()
  .max(128)
  .regex(/^[a-z0-9][a-z0-9_-]*(?:\/[a-z0-9][a-z0-9_-]*)*$/, 'a secret name like acme/db');

/** "local" for this machine, else a host name or address reached over SSH. */
export const targetHost = z
  .string()
  .refine(
    (s) => s === 'local' || hostnamePattern.test(s) || isIP(s) !== 0,
    '"local", a host name like crm.example.com (RFC 1123) or an IP address',
  );

/** A Dolibarr login (llx_user.login): letters, digits, . _ -, not starting with - or . */
export const dolibarrLogin = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,49}$/, 'a login of letters, digits, . _ - (at most 50)');

/** A data-import mapping: default:<name> or a mapping file. */
export const mappingRef = z
  .string()
  .refine(
    (s) => /^default:[a-z0-9-]{1,64}$/.test(s) || (pathChars.test(s) && !hasDotDot(s) && !s.startsWith('-')),
    `default:<name> or a mapping file path (${pathMessage})`,
  );

/** A Dolibarr trigger code (llx_c_action_trigger.code, varchar(128): the event a trigger receives), e.g. COMPANY_CREATE. */
export const triggerCode = z
  .string()
  .regex(
    /^[A-Z][A-Z0-9_]{1,127}$/,
    'a Dolibarr trigger code like COMPANY_CREATE or BILL_VALIDATE (upper-case letters, digits, _)',
  );
