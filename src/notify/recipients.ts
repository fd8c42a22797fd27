import type { DeploymentRecord } from '../core/record.js';
import type { Team } from '../core/team.js';
import type { Audience } from './events.js';

export interface Recipient {
  name: string;
  address: string;
}

/**
 * The addresses of an audience: the plan's client contacts by role, and the deployment's team (the people the
 * plan names, with the e-mail the team file gives them). Each address once.
 */
export function recipientsOf(record: DeploymentRecord, audience: readonly Audience[], team: Team | undefined): Recipient[] {
  const out = new Map<string, Recipient>();
  const add = (name: string, address: string) => {
    const key = address.toLowerCase();
    if (!out.has(key)) out.set(key, { name, address });
  };
  for (const c of record.plan.contacts ?? []) if (audience.includes(c.role)) add(c.name, c.email);
  if (audience.includes('team') && team) {
    const logins = new Set(Object.values(record.plan.people));
    for (const p of team.people) if (logins.has(p.login) && p.email) add(p.name, p.email);
  }
  return [...out.values()];
}
