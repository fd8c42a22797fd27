import type { HttpSession, HttpResponse } from './http.js';

/**
 * Policy "Export functionality working", through Dolibarr's export wizard (htdocs/exports/export.php): select
 * every field of the dataset (step 2, action=selectfield&field=all), build the file (step 5,
 * action=builddoc&model=csvutf8), then download it through document.php?modulepart=export. Actions carry the
 * CSRF token of the previous page (main.inc.php's rolling token).
 */
export function tokenOf(page: HttpResponse): string | undefined {
  return (
    /[?&]token=([0-9a-f]+)/i.exec(page.text)?.[1] ?? /name="token"\s+value="([^"]+)"/i.exec(page.text)?.[1]
  );
}

export async function exportCsv(
  session: HttpSession,
  dataset: string,
): Promise<{ ok: true; file: string; csv: string } | { ok: false; reason: string }> {
  const base = `exports/export.php?datatoexport=${dataset}`;
  let page = await session.get(`${base}&step=2`);
  if (page.status !== 200) return { ok: false, reason: `/${base}&step=2 answered HTTP ${page.status}` };
  page = await session.get(`${base}&step=2&action=selectfield&field=all&token=${tokenOf(page) ?? ''}`);
  if (page.status !== 200)
    return { ok: false, reason: `selecting the fields: HTTP ${page.status} ${page.text.slice(0, 100)}` };
  page = await session.get(`${base}&step=5&action=builddoc&model=csvutf8&token=${tokenOf(page) ?? ''}`);
  if (page.status !== 200)
    return { ok: false, reason: `building the file: HTTP ${page.status} ${page.text.slice(0, 100)}` };
  // formfile.class.php showdocuments(): document.php?modulepart=export&file=<name>&entity=<n> (20.0.2)
  const link = /href="([^"]*document\.php\?modulepart=export&(?:amp;)?file=([^"&]+)[^"]*)"/.exec(page.text);
  if (!link) return { ok: false, reason: 'the export page shows no file to download after builddoc' };
  const file = await session.get(new URL(link[1]!.replace(/&amp;/g, '&'), page.url));
  if (file.status !== 200) return { ok: false, reason: `downloading ${link[2]}: HTTP ${file.status}` };
  return { ok: true, file: decodeURIComponent(link[2]!), csv: file.text };
}
