import { z } from 'zod';
import { roleIds, type RoleId } from './plan.js';
import { notFound, refused } from './errors.js';
import { email, hostOrAddress, httpUrl, localPath, oneLine, secretName } from './plan-strings.js';

/**
 * How the team's messages leave (issue 16 "Communication"): the sender address, the SMTP relay (TLS, login, the
 * password as a secret name in the encrypted store), an optional chat webhook, and a template directory of the
 * consultancy's own (files missing there fall back to the shipped ones in policy/messages/).
 */
const notifySchema = z.strictObject({
  from: email,
  fromName: oneLine().optional(),
  smtp: z
    .strictObject({
      host: hostOrAddress,
      port: z.number().int().min(1).max(65535).default(587),
      /** implicit: TLS from the first byte (465); starttls: required upgrade (587); none: a local relay only. */
      tls: z.enum(['implicit', 'starttls', 'none']).default('starttls'),
      user: oneLine().optional(),
      password: z.strictObject({ secret: secretName }).optional(),
      /** A CA certificate (PEM) to trust besides the system's, for a relay with a private CA. */
      ca: localPath.optional(),
    })
    .refine((s) => !(s.tls === 'none' && s.user && !['localhost', '127.0.0.1', '::1'].includes(s.host)), {
      message: 'a login over an unencrypted connection: use tls: starttls or implicit (none is for a relay on this machine)',
      path: ['tls'],
    })
    .optional(),
  /** An incoming webhook (Slack, Teams, Mattermost) that gets a JSON `{text}` for each event. */
  webhook: z.strictObject({ url: httpUrl }).optional(),
  templates: localPath.optional(),
});

/** The team file (team.yaml): who the people are and which roles they hold. */
export const teamSchema = z.strictObject({
  people: z
    .array(
      z.strictObject({
        login: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'a lower-case login like alice'),
        // one line: a name goes into mail headers (To:), where a newline would start a header of its own
        name: oneLine(),
        email: email.optional(),
        roles: z.array(z.enum(roleIds)).min(1),
      }),
    )
    .min(1),
  notify: notifySchema.optional(),
});

export type Team = z.output<typeof teamSchema>;
export type Person = Team['people'][number];
export type NotifySettings = NonNullable<Team['notify']>;

export interface Actor {
  login: string;
  name: string;
  roles: RoleId[];
}

/** Who is acting: a person in the team file, named by --as or MOKODEPLOY_AS. */
export function resolveActor(team: Team, login: string | undefined, teamFile: string): Actor {
  if (!login) {
    throw refused('no person given: say who is acting', {
      fix: 'pass --as <login> or set MOKODEPLOY_AS to a login from the team file',
      security: true,
    });
  }
  const person = team.people.find((p) => p.login === login);
  if (!person) {
    throw notFound(`"${login}" is not in the team file`, {
      where: teamFile,
      fix: `add ${login} with their roles to ${teamFile}, or act as one of: ${team.people.map((p) => p.login).join(', ')}`,
      security: true,
    });
  }
  return { login: person.login, name: person.name, roles: [...person.roles] };
}
