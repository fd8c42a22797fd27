import { randomBytes } from 'node:crypto';
import type { VerifyContext } from './context.js';
import { siteUrl, submit, type UiSession } from './ui-records.js';

/**
 * Policy "File uploads working" in Chromium, for a site whose REST API is off: the third party's documents tab,
 * societe/document.php?socid=<id>, with the form of FormFile::form_attach_new_file() (form#formuserfile, file input
 * userfile[], submit sendit; core/class/html.formfile.class.php l.133-172) that core/actions_linkedfiles.inc.php
 * stores in DATA_ROOT/societe/<id>/ (needs MAIN_UPLOAD_DOC). The file is fetched again through
 * document.php?modulepart=societe&file=<id>/<name> inside the logged-in page, compared byte for byte, and deleted
 * with action=confirm_deletefile&confirm=yes&urlfile=<name> and the page's CSRF token (actions_linkedfiles l.120).
 */
const filename = 'mokodeploy-verify.txt';

export async function uploadRoundTripUi(
  ctx: VerifyContext,
  ui: UiSession,
  socid: number,
): Promise<{ ok: boolean; seen: string }> {
  const content = `mokodeploy verification ${ctx.now.toISOString()} ${randomBytes(8).toString('hex')}\n`;
  const tab = `societe/document.php?socid=${socid}`;
  await ui.page.goto(siteUrl(ctx, tab), { timeout: 30_000 });
  const form = ui.page.locator('form#formuserfile');
  if ((await form.count()) === 0)
    return {
      ok: false,
      seen: `/${tab} shows no upload form (MAIN_UPLOAD_DOC off, or no right to add files)`,
    };
  await form
    .locator('input[type="file"]')
    .first()
    .setInputFiles({ name: filename, mimeType: 'text/plain', buffer: Buffer.from(content) });
  await submit(ui.page, form.locator('input[name="sendit"]').first());
  ctx.cleanups.push(() => deleteUploaded(ctx, ui, socid));
  const url = siteUrl(
    ctx,
    `document.php?modulepart=societe&file=${encodeURIComponent(`${socid}/${filename}`)}`,
  );
  const back = await ui.page.evaluate(async (u) => {
    const r = await fetch(u, { credentials: 'same-origin' });
    return { status: r.status, text: await r.text() };
  }, url);
  const same = back.status === 200 && back.text === content;
  return {
    ok: same,
    seen: same
      ? `${filename} (${content.length} bytes) uploaded with /${tab} in Chromium and downloaded identical`
      : `${filename} uploaded with /${tab} but document.php answered HTTP ${back.status} with ${back.text.length} bytes that differ`,
  };
}

async function deleteUploaded(ctx: VerifyContext, ui: UiSession, socid: number): Promise<void> {
  const tab = `societe/document.php?socid=${socid}`;
  await ui.page.goto(siteUrl(ctx, tab), { timeout: 30_000 });
  const token = await ui.page.locator('input[name="token"]').first().getAttribute('value');
  await ui.page.goto(
    siteUrl(
      ctx,
      `${tab}&action=confirm_deletefile&confirm=yes&urlfile=${encodeURIComponent(filename)}&token=${token ?? ''}`,
    ),
    { timeout: 30_000 },
  );
}
