import type { HttpSession } from './http.js';
import type { TestData } from './workflow-data.js';

/**
 * Policy "Search functionality working": the list pages the top search box sends to (main.inc.php
 * $arrayresult searchintothirdparty / searchintocontact / searchintoproduct -> <list>.php?search_all=),
 * as the logged-in user; each must list the test record it was asked for.
 */
export async function searchFinds(
  session: HttpSession,
  d: TestData,
): Promise<{ found: string[]; missing: string[] }> {
  const asks: [string, string, string][] = [
    ['societe/list.php', d.thirdparty.name, 'third party'],
    ['contact/list.php', d.contact.lastname, 'contact'],
    ['product/list.php', d.product.ref, 'product'],
  ];
  const found: string[] = [];
  const missing: string[] = [];
  for (const [page, term, what] of asks) {
    const r = await session.get(`${page}?search_all=${encodeURIComponent(term)}`);
    if (r.status === 200 && r.text.includes(term)) found.push(`${what} via /${page} (${r.ms} ms)`);
    else missing.push(`${what} "${term}" not listed by /${page}?search_all= (HTTP ${r.status})`);
  }
  return { found, missing };
}
