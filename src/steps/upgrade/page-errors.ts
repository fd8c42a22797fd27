/**
 * The cause of a failed Dolibarr upgrade page, out of the HTML it prints (issue 13 "the cause in the reason").
 * run_sql() (htdocs/core/lib/admin.lib.php l.498-502, 19.0.4), called by install/upgrade.php l.358 with colspan 2,
 * prints each statement it does not tolerate as
 *   <tr><td class="tdtop" colspan="2"><div class="error">Error DB_ERROR_NOSUCHTABLE (Req 3): INSERT …<br>Table '…' doesn't exist</div></td></tr>
 * ($langs->trans("Error"), $db->errno() — a DB_ERROR_* name, or DB_ERROR_<number> for codes
 * core/db/mysqli.class.php l.~520-555 does not map — the request number, the SQL, then $db->error()).
 * Other pages print their problems the same way (`<div class="error">ErrorCanNotReadDir…</div>`, upgrade.php l.331).
 * The footer's "ErrorFoundDuringMigration" warning (install/inc.php pFooter l.~621) says nothing more and is left out.
 */
export function dolibarrPageErrors(html: string, max = 5): string[] {
  const found: string[] = [];
  for (const m of html.matchAll(/<div class="error">([\s\S]*?)<\/div>/g)) {
    const text = plain(m[1]!);
    if (text !== '' && !found.includes(text)) found.push(text);
  }
  return found.length > max ? [...found.slice(0, max), `… and ${found.length - max} more errors`] : found;
}

/** HTML to one line of text: <br> as " | ", tags dropped, the entities Dolibarr's pages use decoded. */
function plain(fragment: string): string {
  return fragment
    .replace(/<br\s*\/?>/gi, ' | ')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#0?39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
