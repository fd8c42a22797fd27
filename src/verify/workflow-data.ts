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

/** Remove the test records now (the cleanups registered above), and say whether they are gone. */
export async function removeTestData(ctx: VerifyContext, api: DolibarrApi, d: TestData): Promise<string[]> {
  for (const undo of ctx.cleanups.splice(0).reverse()) await undo().catch(() => {});
  const left: string[] = [];
  for (const [path, what] of [
    [`products/${d.product.id}`, 'product'],
    [`contacts/${d.contact.id}`, 'contact'],
    [`thirdparties/${d.thirdparty.id}`, 'third party'],
  ] as const) {
    const still = await api.call('GET', path).then(
      () => true,
      () => false,
    );
    if (still) left.push(`${what} ${path}`);
  }
  return left;
}
