import type { BrowserContext, Locator, Page } from 'playwright-core';
import { pageToken } from './page-token.js';
import { siteContext } from './browser.js';
import type { VerifyContext } from './context.js';
import { forceRemoveProduct, type Removal, type TestData } from './workflow-data.js';
import { fillPlan, formRoles, type FieldRole, type FormField } from './form-fields.js';

/**
 * The test records of workflow-data.ts made through Dolibarr's own forms in Chromium, for a site whose REST API
 * is off. The fields are found from each form (names, ids, labels, a select's options: form-fields.ts), not from
 * a fixed list. Contract (20.0.2): societe/card.php?action=create (form "formsoc": hidden action=add and token, input
 * name, select client l.1206-1361, absent or with fewer options by configuration), contact/card.php?action=create&socid= (lastname, firstname l.677-689),
 * product/card.php?action=create&type=0 (ref, label l.1350-1401); each form is sent by Form::buttonsSaveCancel()'s
 * submit input — named save, or add for the labels Create/Add (html.form.class.php l.11117-11145) and Dolibarr redirects to the new card (?socid= / ?id=; a customer
 * lands on comm/card.php?socid=, societe/card.php l.610-620). Removal: the card's
 * action=confirm_delete&confirm=yes with the page's CSRF token (societe/card.php l.788, contact/card.php l.321,
 * product/card.php l.1004). What is stored is read from the database, not from the pages.
 */
export interface UiSession {
  context: BrowserContext;
  page: Page;
}

const cards = {
  thirdparty: { page: 'societe/card.php', idParam: 'socid', table: 'llx_societe' },
  contact: { page: 'contact/card.php', idParam: 'id', table: 'llx_socpeople' },
  product: { page: 'product/card.php', idParam: 'id', table: 'llx_product' },
} as const;
type Card = keyof typeof cards;

export const siteUrl = (ctx: VerifyContext, path: string) =>
  new URL(path, `${ctx.site.url.replace(/\/$/, '')}/`).href;

/** Click a submit button and wait for the page it leads to (a POST, then Dolibarr's redirect). */
export async function submit(page: Page, button: Locator): Promise<void> {
  const from = page.url();
  try {
    await Promise.all([page.waitForNavigation({ timeout: 30_000 }), button.click({ timeout: 10_000 })]);
  } catch (e) {
    // the browser's own validation (required fields) keeps a form from being sent: name them
    const invalid = await button
      .evaluate((b) =>
        Array.from((b as HTMLInputElement).form?.elements ?? [])
          .filter((el) => !(el as HTMLInputElement).checkValidity())
          .map((el) => (el as HTMLInputElement).name || el.id)
          .join(', '),
      )
      .catch(() => '');
    throw new Error(
      `submitting the form of ${from} led nowhere${invalid ? ` (the browser refused it, invalid fields: ${invalid})` : ''}: ${(e as Error).message.split('\n')[0]}`,
    );
  }
  await page.waitForLoadState('load');
}

export async function browserLogIn(ctx: VerifyContext): Promise<UiSession> {
  const context = await siteContext(await ctx.browser(), ctx.site);
  const page = await context.newPage();
  await page.goto(siteUrl(ctx, 'index.php'), { timeout: 30_000 });
  await page.locator('form#login').waitFor({ timeout: 15_000 });
  await page.fill('#username', ctx.plan.admin.login);
  await page.fill('#password', ctx.secret(ctx.plan.admin.password.secret).reveal());
  await submit(page, page.locator('form#login [type=submit]').first());
  if ((await page.locator('a[href*="user/logout.php"]').count()) === 0) {
    await context.close();
    throw new Error(`${ctx.plan.admin.login} could not log in with Chromium to create the test records`);
  }
  return { context, page };
}

/**
 * Every field of a form as the page shows it: name, id, the label beside it, required, a select's options.
 * The page function declares no named helper: tsx/esbuild (keepNames) would wrap it in __name(), which does not
 * exist in the page (seen in the e2e run on 20.0.2).
 */
async function readFields(form: Locator): Promise<FormField[]> {
  return form.evaluate((f) =>
    Array.from((f as HTMLFormElement).elements).map((el) => {
      const e = el as HTMLInputElement & HTMLSelectElement;
      const forLabel = e.id ? document.querySelector(`label[for="${CSS.escape(e.id)}"]`) : null;
      const cell = e.closest('td')?.previousElementSibling;
      const label = ((forLabel ?? cell)?.textContent ?? '').replace(/\s+/g, ' ').trim();
      const marked = [forLabel, forLabel?.parentElement, cell, cell?.querySelector('.fieldrequired')];
      return {
        tag: e.tagName,
        type: (e.type ?? '').toLowerCase(),
        name: e.name ?? '',
        id: e.id ?? '',
        label,
        required: e.required || marked.some((m) => m?.classList?.contains('fieldrequired') ?? false),
        options:
          e.tagName === 'SELECT'
            ? Array.from(e.options).map((o) => ({
                value: o.value,
                text: (o.textContent ?? '').replace(/\s+/g, ' ').trim(),
              }))
            : [],
      };
    }),
  );
}

/** Open a card's create form, find its fields from the form, fill them, send it; the new id from the card it lands on. */
async function createThrough(
  ui: UiSession,
  ctx: VerifyContext,
  card: Card,
  query: string,
  roles: FieldRole[],
): Promise<number> {
  const { page, idParam } = cards[card];
  await ui.page.goto(siteUrl(ctx, `${page}?action=create${query}`), { timeout: 30_000 });
  const form = ui.page.locator('form:has(input[name="action"][value="add"])').first();
  if ((await form.count()) === 0) throw new Error(`${page}?action=create: no create form (${ui.page.url()})`);
  const plan = fillPlan(await readFields(form), roles, `${page}?action=create`);
  for (const f of plan) {
    const input = form.locator(`[name="${f.name.replace(/["\\]/g, '\\$&')}"]`).first();
    if (f.select)
      await input.selectOption(f.value, { force: true }); // select2 hides the real select
    else await input.fill(f.value);
  }
  await submit(ui.page, form.locator('input[type="submit"]:not([name="cancel"])').first());
  const id = Number(new URL(ui.page.url()).searchParams.get(idParam));
  if (!(id > 0)) {
    const error = await ui.page
      .locator('.error, .jnotify-message, div.error')
      .first()
      .innerText()
      .catch(() => '');
    throw new Error(
      `${page}: the ${card} was not created (${ui.page.url()}${error ? `: ${error.trim()}` : ''})`,
    );
  }
  return id;
}

/** A card's delete confirmation, as the "Yes" button of its confirm box sends it (GET with the page's token). */
async function removeThrough(ui: UiSession, ctx: VerifyContext, card: Card, id: number): Promise<void> {
  const { page, idParam } = cards[card];
  await ui.page.goto(siteUrl(ctx, `${page}?${idParam}=${id}`), { timeout: 30_000 });
  const token = await pageToken(ui.page);
  await ui.page.goto(
    siteUrl(ctx, `${page}?${idParam}=${id}&action=confirm_delete&confirm=yes&token=${token ?? ''}`),
    { timeout: 30_000 },
  );
}

export async function createTestDataUi(ctx: VerifyContext, ui: UiSession): Promise<TestData> {
  const tag = `MOKOVERIFY${ctx.now.toISOString().replace(/\D/g, '').slice(0, 14)}`;
  const name = `${tag} third party`;
  const tp = await createThrough(ui, ctx, 'thirdparty', '', formRoles.thirdparty(name));
  ctx.cleanups.push(() => removeThrough(ui, ctx, 'thirdparty', tp));
  const lastname = `${tag}contact`;
  const contact = await createThrough(ui, ctx, 'contact', `&socid=${tp}`, formRoles.contact(lastname));
  ctx.cleanups.push(() => removeThrough(ui, ctx, 'contact', contact));
  const ref = `${tag}-P`;
  const product = await createThrough(
    ui,
    ctx,
    'product',
    '&type=0',
    formRoles.product(ref, `${tag} product`),
  );
  ctx.cleanups.push(() => removeThrough(ui, ctx, 'product', product));
  return {
    tag,
    thirdparty: { id: tp, name },
    contact: { id: contact, lastname },
    product: { id: product, ref },
  };
}

/** What the database holds for each test record: what was typed is what is stored. */
export async function readBackDb(ctx: VerifyContext, d: TestData): Promise<string[]> {
  const problems: string[] = [];
  const asks: [Card, number, string, string][] = [
    ['thirdparty', d.thirdparty.id, 'nom', d.thirdparty.name],
    ['contact', d.contact.id, 'lastname', d.contact.lastname],
    ['product', d.product.id, 'ref', d.product.ref],
  ];
  for (const [card, id, column, want] of asks) {
    const got = await ctx.db.value(`SELECT ${column} FROM ${cards[card].table} WHERE rowid = ${id}`);
    if (got !== want) problems.push(`${card} #${id} is stored as "${got ?? '(missing)'}"`);
  }
  return problems;
}

/** Remove the records now (the cleanups registered above), then ask the database which are left. */
export async function removeTestDataUi(ctx: VerifyContext, d: TestData): Promise<Removal> {
  for (const undo of ctx.cleanups.splice(0).reverse()) await undo().catch(() => {});
  const exists = async (card: Card, id: number) =>
    Boolean(await ctx.db.value(`SELECT rowid FROM ${cards[card].table} WHERE rowid = ${id}`));
  const note = (await exists('product', d.product.id)) ? await forceRemoveProduct(ctx, d) : undefined;
  const left: string[] = [];
  for (const [card, id] of [
    ['product', d.product.id],
    ['contact', d.contact.id],
    ['thirdparty', d.thirdparty.id],
  ] as const) {
    if (await exists(card, id))
      left.push(`${card} #${id} (${cards[card].page}?${cards[card].idParam}=${id})`);
  }
  return { left, note };
}
