import type { Secret } from '../../core/secret.js';
import { HttpSession, type SiteAccess } from '../../verify/http.js';
import { check, type EntityUser, type IsolationCheck, type Marker } from './types.js';

/**
 * Isolation through the REST API (api/index.php) with a key of the user (set for the check, markers.ts): what the
 * key can read. Its own marker must be readable (a positive control: the check can fail), every other entity's
 * marker must be neither listed nor readable by id, and asking for another entity with DOLAPIENTITY
 * (api/index.php l.57-58) must be refused.
 */
const objects = [
  { path: 'thirdparties', id: (m: Marker) => m.thirdparty, label: (m: Marker) => m.name },
  { path: 'contacts', id: (m: Marker) => m.contact, label: (m: Marker) => m.name },
  { path: 'products', id: (m: Marker) => m.product, label: (m: Marker) => m.ref },
] as const;

export async function apiChecks(
  site: SiteAccess,
  u: EntityUser,
  apiKey: Secret,
  own: Marker,
  others: Marker[],
): Promise<IsolationCheck[]> {
  const s = new HttpSession(site);
  const key = apiKey.reveal();
  const base = { channel: 'api' as const, entity: u.entity };
  const get = (path: string, entity?: number) =>
    s.get(`api/index.php/${path}`, {
      headers: {
        DOLAPIKEY: key,
        accept: 'application/json',
        ...(entity ? { DOLAPIENTITY: String(entity) } : {}),
      },
    });
  const out: IsolationCheck[] = [];
  for (const o of objects) {
    const mine = await get(`${o.path}/${o.id(own)}`);
    out.push(
      check({
        ...base,
        id: `api.${o.path}.own`,
        ok: mine.status === 200 && mine.text.includes(o.label(own)),
        detail: `${u.login} reads its own ${o.path}/${o.id(own)}: HTTP ${mine.status}`,
      }),
    );
    const list = await get(`${o.path}?limit=1000`);
    for (const m of others) {
      const byId = await get(`${o.path}/${o.id(m)}`);
      out.push(
        check({
          ...base,
          other: m.entity,
          id: `api.${o.path}.by-id`,
          ok: byId.status !== 200 && !byId.text.includes(o.label(m)),
          detail: `${u.login} asks for entity ${m.entity}'s ${o.path}/${o.id(m)}: HTTP ${byId.status}`,
        }),
        check({
          ...base,
          other: m.entity,
          id: `api.${o.path}.list`,
          ok: !list.text.includes(o.label(m)) && (list.status === 200 || list.status === 404),
          detail: `${u.login}'s ${o.path} list (HTTP ${list.status}) ${list.text.includes(o.label(m)) ? 'SHOWS' : 'does not show'} "${o.label(m)}"`,
        }),
      );
    }
  }
  for (const m of others) {
    const forced = await get('thirdparties?limit=1000', m.entity);
    out.push(
      check({
        ...base,
        other: m.entity,
        id: 'api.dolapientity',
        ok: forced.status !== 200 && !forced.text.includes(m.name),
        detail: `${u.login} with DOLAPIENTITY: ${m.entity}: HTTP ${forced.status}`,
      }),
    );
  }
  return out;
}
