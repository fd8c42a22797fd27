import { ApiError, DolibarrApi } from './api-client.js';
import type { VerifyContext } from './context.js';
import {
  browserLogIn,
  createTestDataUi,
  readBackDb,
  removeTestDataUi,
  type UiSession,
} from './ui-records.js';
import { createTestData, readBack, removeTestData, type Removal, type TestData } from './workflow-data.js';

/**
 * Where the workflow test records come from: the REST API when module Api is on (business classes, triggers);
 * otherwise Dolibarr's own forms in Chromium (ui-records.ts), as a user would enter them. Both give the same
 * TestData, read back and removed the same way they were made.
 */
export interface MadeRecords {
  via: 'the REST API' | "Dolibarr's forms in Chromium";
  data: TestData;
  /** Only when made through the API (the upload round trip uses its documents endpoint). */
  api?: DolibarrApi;
  /** Only when made through the forms: the logged-in browser page. */
  ui?: UiSession;
  /** Why the API was not used. */
  apiOff?: string;
  readBack(): Promise<string[]>;
  remove(): Promise<Removal>;
  close(): Promise<void>;
}

export async function makeRecords(ctx: VerifyContext): Promise<MadeRecords> {
  let api: DolibarrApi;
  try {
    api = await DolibarrApi.login(ctx.site, ctx.plan.admin.login, ctx.secret(ctx.plan.admin.password.secret));
  } catch (e) {
    if (e instanceof ApiError && e.moduleOff) return makeThroughForms(ctx, e.message);
    throw e;
  }
  const data = await createTestData(ctx, api);
  return {
    via: 'the REST API',
    data,
    api,
    readBack: () => readBack(api, data),
    remove: () => removeTestData(ctx, api, data),
    close: async () => {},
  };
}

async function makeThroughForms(ctx: VerifyContext, apiOff: string): Promise<MadeRecords> {
  const ui = await browserLogIn(ctx);
  try {
    const data = await createTestDataUi(ctx, ui);
    return {
      via: "Dolibarr's forms in Chromium",
      data,
      ui,
      apiOff,
      readBack: () => readBackDb(ctx, data),
      remove: () => removeTestDataUi(ctx, data),
      close: () => ui.context.close(),
    };
  } catch (e) {
    // records made before the failure go now, while the browser session that can delete them is open
    for (const undo of ctx.cleanups.splice(0).reverse()) await undo().catch(() => {});
    await ui.context.close();
    throw e;
  }
}
