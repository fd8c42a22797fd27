import type { VerifyContext } from './context.js';
import type { DolibarrApi } from './api-client.js';

/**
 * The test records a verification creates through the REST API (policy "Critical workflows functional"):
 * a third party, a contact of it and a product, named so they cannot be mistaken for client data, and
 * removed at the end of the run (ctx.cleanups) even when a later check fails.
 */
export interface TestData {
  tag: string;
  thirdparty: { id: number; name: string };
  contact: { id: number; lastname: string };
  product: { id: number; ref: string };
}

export async function createTestData(ctx: VerifyContext, api: DolibarrApi): Promise<TestData> {
  const tag = `MOKOVERIFY${ctx.now.toISOString().replace(/\D/g, '').slice(0, 14)}`;
  const name = `${tag} third party`;
  const tp = Number(await api.call('POST', 'thirdparties', { name, client: 1, code_client: '-1' }));
  ctx.cleanups.push(() => api.call('DELETE', `thirdparties/${tp}`).then(() => undefined));
  const lastname = `${tag}contact`;
  const contact = Number(
    await api.call('POST', 'contacts', {
      socid: tp,
      lastname,
      firstname: 'Verify',
      email: `${tag.toLowerCase()}@example.invalid`,
    }),
  );
  ctx.cleanups.push(() => api.call('DELETE', `contacts/${contact}`).then(() => undefined));
  const ref = `${tag}-P`;
  const product = Number(
    await api.call('POST', 'products', { ref, label: `${tag} product`, price: '1', type: 0, status: 1 }),
  );
  ctx.cleanups.push(() => api.call('DELETE', `products/${product}`).then(() => undefined));
  return {
    tag,
    thirdparty: { id: tp, name },
    contact: { id: contact, lastname },
    product: { id: product, ref },
  };
}

/** Read each record back by id: what was written is what is stored. */
export async function readBack(api: DolibarrApi, d: TestData): Promise<string[]> {
  const problems: string[] = [];
  const tp = (await api.call('GET', `thirdparties/${d.thirdparty.id}`)) as { name?: string };
  if (tp.name !== d.thirdparty.name)
    problems.push(`third party #${d.thirdparty.id} reads back as "${tp.name}"`);
  const c = (await api.call('GET', `contacts/${d.contact.id}`)) as { lastname?: string };
  if (c.lastname !== d.contact.lastname)
    problems.push(`contact #${d.contact.id} reads back as "${c.lastname}"`);
  const p = (await api.call('GET', `products/${d.product.id}`)) as { ref?: string };
  if (p.ref !== d.product.ref) problems.push(`product #${d.product.id} reads back as "${p.ref}"`);
  return problems;
}

/** What is left after removing the test records, and how they went. */
export interface Removal {
  left: string[];
  note?: string;
}

/** Remove the test records now (the cleanups registered above), and say whether they are gone. */
export async function removeTestData(ctx: VerifyContext, api: DolibarrApi, d: TestData): Promise<Removal> {
  for (const undo of ctx.cleanups.splice(0).reverse()) await undo().catch(() => {});
  const exists = (path: string) =>
    api.call('GET', path).then(
      () => true,
      () => false,
    );
  const note = (await exists(`products/${d.product.id}`)) ? await forceRemoveProduct(ctx, d) : undefined;
  const left: string[] = [];
  for (const [path, what] of [
    [`products/${d.product.id}`, 'product'],
    [`contacts/${d.contact.id}`, 'contact'],
    [`thirdparties/${d.thirdparty.id}`, 'third party'],
  ] as const) {
    if (await exists(path)) left.push(`${what} ${path}`);
  }
  return { left, note };
}

/**
 * Dolibarr refuses to delete a product when its isObjectUsed() check fails (core/class/commonobject.class.php
 * l.4875-4890, 20.0.2): a table of Product::$childtables that does not exist — llx_bom_bom, llx_mrp_production on an
 * install where modules BOM/MRP were never enabled — counts as "used" (API 409 "that product is probably used", the
 * card shows ErrorRecordHasChildren). The test product is in no document, so it is removed from the database
 * directly, with the rows Product::create() adds beside it.
 */
export async function forceRemoveProduct(ctx: VerifyContext, d: TestData): Promise<string> {
  const id = d.product.id;
  for (const [table, column] of [
    ['llx_product_price', 'fk_product'],
    ['llx_product_lang', 'fk_product'],
    ['llx_product_extrafields', 'fk_object'],
  ])
    await ctx.db.query(`DELETE FROM ${table} WHERE ${column} = ${id}`).catch(() => undefined);
  await ctx.db.query(
    `DELETE FROM llx_product WHERE rowid = ${id} AND ref = '${d.product.ref.replace(/[^A-Za-z0-9-]/g, '')}'`,
  );
  return `Dolibarr refused to delete product #${id} (isObjectUsed fails on a missing child table such as llx_bom_bom); removed from the database directly`;
}
