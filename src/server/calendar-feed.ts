import { createHmac, timingSafeEqual } from 'node:crypto';
import ical from 'ical-generator';
import type { FastifyInstance } from 'fastify';
import type { DeploymentRecord } from '../core/record.js';
import { passwordVersion } from './passwords.js';
import { httpError } from './http-errors.js';
import type { ServerContext } from './context.js';

/**
 * A calendar application cannot log in: each person's iCalendar feed is reached by a token, an HMAC of their
 * login and current password under the session key. A password reset changes it; it opens this feed only.
 */
export function feedToken(sessionKey: Buffer, login: string, passwordHash: string): string {
  return createHmac('sha256', sessionKey)
    .update(`calendar-feed\n${login}\n${passwordVersion(passwordHash)}`)
    .digest('hex');
}

/** The deployments whose plan names this person, for any role: their windows. */
export function windowsOf(records: readonly DeploymentRecord[], login: string): DeploymentRecord[] {
  return records.filter(
    (r) =>
      Object.values(r.plan.people).includes(login) &&
      !['cancelled'].includes(r.state) &&
      (r.schedule ?? r.plan.window) !== undefined,
  );
}

export function calendarText(records: readonly DeploymentRecord[], login: string, now: Date): string {
  const cal = ical({
    prodId: { company: 'mokodeploy', product: 'mokodeploy' },
    name: `mokodeploy: ${login}`,
  });
  for (const r of windowsOf(records, login)) {
    const w = (r.schedule ?? r.plan.window)!;
    const role = Object.entries(r.plan.people)
      .filter(([, who]) => who === login)
      .map(([role]) => role)
      .join(', ');
    cal.createEvent({
      id: `${r.id}.window@mokodeploy`,
      stamp: now,
      start: new Date(w.start),
      end: new Date(w.end),
      summary: `${r.plan.clientName}: ${r.kind} deployment ${r.id} (${r.schedule ? 'approved window' : 'planned window'})`,
      description: `State ${r.state}; you are ${role}.`,
    });
  }
  return cal.toString();
}

/** GET /calendar/<login>.ics?token=… (public path, the token is the credential). */
export function registerCalendarFeed(server: FastifyInstance, ctx: ServerContext, sessionKey: Buffer): void {
  server.get<{ Params: { file: string }; Querystring: { token?: string } }>(
    '/calendar/feed/:file',
    async (req, reply) => {
      const login = /^([a-z0-9][a-z0-9._-]*)\.ics$/.exec(req.params.file)?.[1];
      const stored = login ? ctx.passwords.hashOf(login) : undefined;
      const given = Buffer.from(String(req.query.token ?? ''), 'utf8');
      const expected =
        login && stored ? Buffer.from(feedToken(sessionKey, login, stored), 'utf8') : undefined;
      if (!login || !expected || given.length !== expected.length || !timingSafeEqual(given, expected))
        throw httpError(403, 'no such calendar feed', 'copy the feed address from the Calendar page again');
      const records = await (await ctx.app.store()).all();
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', `attachment; filename="${login}.ics"`)
        .send(calendarText(records, login, ctx.app.now()));
    },
  );
}
