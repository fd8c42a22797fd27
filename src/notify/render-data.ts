import type { Policy } from '../policy/types.js';
import type { Team } from '../core/team.js';
import type { NotifyEvent } from './events.js';

/** Every name a template may use; event values not given render empty. */
export const templateNames = [
  'id', 'client', 'clientName', 'environment', 'kind', 'version', 'siteUrl', 'state', 'actor', 'at', 'timezone',
  'windowStart', 'windowEnd', 'approvedBy', 'recipientName', 'reason', 'exception', 'outcome', 'verification',
  'trigger', 'summary', 'day', 'hypercareDays', 'handoff', 'items',
] as const;

/** A time as the client reads it, in the plan's window time zone: "Sat 2026-12-05 21:00 (Europe/Paris)". */
export function localTime(iso: string | undefined, timezone: string): string {
  if (!iso) return '';
  // built from parts: the platform's own date styles change wording between ICU versions
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const p = (type: string) => parts.find((x) => x.type === type)?.value ?? '';
  return `${p('weekday')} ${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')} (${timezone})`;
}

/** The values of one event for its templates (recipientName is added per recipient). */
export function renderData(
  event: NotifyEvent,
  ctx: { at: string; actor: string; team?: Team; policy: Policy },
): Record<string, string> {
  const r = event.record;
  const tz = r.plan.window?.timezone ?? 'UTC';
  const actor = ctx.team?.people.find((p) => p.login === ctx.actor)?.name ?? ctx.actor;
  const handoff = (r.handoff?.evidence ?? [])
    .map((e) => (e.kind === 'file' ? `${e.name} (attached, sha256 ${e.sha256})` : e.kind === 'link' ? e.url : e.kind === 'text' ? e.text : e.kind))
    .join('\n');
  const items = (ctx.policy.signoffs.kinds.find((k) => k.id === 'client')?.items ?? [])
    .map((i) => `- ${i.label}`)
    .join('\n');
  return {
    id: r.id,
    client: r.client,
    clientName: r.plan.clientName,
    environment: r.environment,
    kind: r.kind,
    version: r.plan.dolibarr.version,
    siteUrl: r.plan.site.url,
    state: r.state,
    actor,
    at: localTime(ctx.at, tz),
    timezone: tz,
    windowStart: localTime(r.schedule?.start ?? r.plan.window?.start, tz),
    windowEnd: localTime(r.schedule?.end ?? r.plan.window?.end, tz),
    approvedBy: r.schedule?.clientApprovedBy ?? '',
    handoff,
    items,
    ...event.values,
  };
}
