import { curlConfigLine } from '../escape/curl-config.js';
import type { Command } from '../hosts/host.js';
import { Secret } from '../core/secret.js';

/**
 * Read endpoints of Dolibarr's REST API and the right each one checks first (20.0.2): api_users.class.php index()
 * l.76 (user.user.lire, 403 "You are not allowed to read list of users"), compta/facture/class/api_invoices.class.php
 * index() l.189 (facture.lire), societe/class/api_thirdparties.class.php index() l.140 (societe.lire),
 * product/class/api_products.class.php (produit.lire), commande/class/api_orders.class.php (commande.lire),
 * comm/propal/class/api_proposals.class.php (propal.lire). Users first: every Dolibarr has them (modUser) and an
 * integration rarely needs them, so it is the natural call that must be refused.
 */
export const readEndpoints: readonly { right: string; path: string }[] = [
  { right: 'user.user.lire', path: 'users?limit=1' },
  { right: 'facture.lire', path: 'invoices?limit=1' },
  { right: 'societe.lire', path: 'thirdparties?limit=1' },
  { right: 'produit.lire', path: 'products?limit=1' },
  { right: 'commande.lire', path: 'orders?limit=1' },
  { right: 'propal.lire', path: 'proposals?limit=1' },
];

/**
 * Whether rights (as the plan lists them) hold `right`: the same name, a prefix of it (societe grants every societe
 * right), or the read right addrights() adds with another one (user.class.php l.964-975: facture.creer brings
 * facture.lire, user.user.creer brings user.user.lire).
 */
export function rightsHold(rights: readonly string[], right: string): boolean {
  const [module, perms, sub] = right.split('.');
  const isRead = (p: string | undefined) => p === 'lire' || p === 'read';
  return rights.some((r) => {
    if (r === right || right.startsWith(`${r}.`)) return true;
    const [m, p, s] = r.split('.');
    if (m !== module) return false;
    if (s !== undefined) return p === perms && sub !== undefined && isRead(sub);
    return p !== undefined && sub === undefined && isRead(perms);
  });
}

export const defaultAllowedCall = (rights: readonly string[]): string | undefined =>
  readEndpoints.find((e) => rightsHold(rights, e.right))?.path;

export const defaultRefusedCall = (rights: readonly string[]): string | undefined =>
  readEndpoints.find((e) => !rightsHold(rights, e.right))?.path;

/**
 * The list endpoints that answer 404 instead of an empty list, with their message: api_thirdparties.class.php index()
 * l.236-238 (20.0.2; l.247 in 19.0.4) "Thirdparties not found", thrown after the right was checked (l.140).
 */
const emptyListAnswers: Record<string, string> = { thirdparties: 'Thirdparties not found' };
export const emptyListAnswer = (path: string): string => emptyListAnswers[path.split('?')[0]!] ?? '';

/**
 * One GET to the site's REST API from the target (the site's name resolved to its own address, its own CA), with
 * the key in a DOLAPIKEY header inside a curl config on stdin (a Secret: never in argv). The script is constant;
 * the expectation, the empty-list answer and the path (shown by the dry run) are positional parameters: "allowed" passes on 2xx (or on the
 * endpoint's own 404 for an empty list), "refused" on 401/403 (api_access.class.php l.165 answers 401 for a bad
 * key; an endpoint answers 403 for a missing right). Only the status is printed, never the body.
 */
const script = [
  'out=$(curl -sS -w "\\n%{http_code}" -K -) || exit 1',
  'code=$(printf "%s" "$out" | tail -n 1)',
  'case "$1:$code" in allowed:2??|refused:401|refused:403) echo "GET $3: HTTP $code"; exit 0;; esac',
  'if [ "$1:$code" = allowed:404 ] && [ -n "$2" ]; then case "$out" in *"$2"*) echo "GET $3: HTTP 404 $2 (no rows yet, past the right check)"; exit 0;; esac; fi',
  'echo "GET $3: HTTP $code" >&2',
  'exit 1',
].join('; ');

export interface ApiCallRequest {
  siteUrl: string;
  address: string;
  caFile: string;
  asUser: string;
  path: string;
  key: Secret;
  expect: 'allowed' | 'refused';
  /** The entity asked for (issue 18): header DOLAPIENTITY (api/index.php l.57-58); none = the key owner's entity. */
  entity?: number;
}

export function apiCallCommand(r: ApiCallRequest): Command {
  const url = new URL(r.siteUrl);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  const config = [
    curlConfigLine('url', `${base}/api/index.php/${r.path}`),
    curlConfigLine('resolve', `${url.hostname}:${port}:${r.address.includes(':') ? `[${r.address}]` : r.address}`),
    curlConfigLine('cacert', r.caFile),
    curlConfigLine('header', 'Accept: application/json'),
    curlConfigLine('header', `DOLAPIKEY: ${r.key.reveal()}`),
    ...(r.entity !== undefined ? [curlConfigLine('header', `DOLAPIENTITY: ${r.entity}`)] : []),
    'max-time = 30',
    '',
  ].join('\n');
  return {
    argv: ['sh', '-c', script, 'api-call', r.expect, r.expect === 'allowed' ? emptyListAnswer(r.path) : '', r.path],
    stdin: new Secret(config),
    asUser: r.asUser,
    timeoutMs: 60_000,
  };
}
