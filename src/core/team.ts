import { z } from 'zod';
import { roleIds, type RoleId } from './plan.js';
import { notFound, refused } from './errors.js';

/** The team file (team.yaml): who the people are and which roles they hold. */
export const teamSchema = z.strictObject({
  people: z
    .array(
      z.strictObject({
        login: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'a lower-case login like alice'),
        name: z.string().min(1),
        email: z.string().email().optional(),
        roles: z.array(z.enum(roleIds)).min(1),
      }),
    )
    .min(1),
});

export type Team = z.output<typeof teamSchema>;
export type Person = Team['people'][number];

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
