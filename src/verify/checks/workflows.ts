import { result, type CheckResult, type VerifyCheck } from '../check.js';
import { uploadRoundTrip } from '../api-upload.js';
import { uploadRoundTripUi } from '../ui-upload.js';
import type { VerifyContext } from '../context.js';
import { logIn } from '../session.js';
import { exportCsv } from '../ui-export.js';
import { searchFinds } from '../ui-search.js';
import { makeRecords, type MadeRecords } from '../workflow-records.js';

/**
 * Policy "Critical workflows functional", "Search functionality working", "Export functionality working",
 * "File uploads working": create a third party, a contact and a product (REST API, or Dolibarr's forms in
 * Chromium when the API module is off), find them with the search box's list pages, export the third parties
 * with the export wizard, attach a file (API, or the documents tab in Chromium) — then remove it all.
 */
const byHand = 'or check it by hand and record it: mokodeploy verification-record <id> results.yaml';

export const workflowsCheck: VerifyCheck = {
  id: 'workflows',
  item: 'verify.workflows',
  title: 'Critical workflows, search, export, upload',
  async run(ctx) {
    let made: MadeRecords;
    try {
      made = await makeRecords(ctx);
    } catch (e) {
      const why = (e as Error).message;
      return [
        result('verify.workflows', 'workflows.create', 'fail', 'could not create the test records', why),
        ...['verify.search', 'verify.export', 'verify.uploads'].map((i) =>
          result(
            i,
            i.replace('verify.', 'workflows.'),
            'skip',
            'unknown: not tried without test records',
            `${why}; ${byHand}`,
          ),
        ),
      ];
    }
    try {
      const d = made.data;
      const problems = await made.readBack();
      const out: CheckResult[] = [
        problems.length === 0
          ? result(
              'verify.workflows',
              'workflows.create',
              'pass',
              `created through ${made.via} and read back third party #${d.thirdparty.id}, contact #${d.contact.id}, product #${d.product.id}`,
            )
          : result(
              'verify.workflows',
              'workflows.create',
              'fail',
              'records read back differently',
              problems.join('; '),
            ),
        ...(await searchAndExport(ctx, made)),
        await upload(ctx, made),
      ];
      const { left, note } = await made.remove();
      out.push(
        left.length === 0
          ? result(
              'verify.workflows',
              'workflows.cleanup',
              'pass',
              `test data ${d.tag} removed${note ? ` (${note})` : ''}`,
            )
          : result(
              'verify.workflows',
              'workflows.cleanup',
              'warn',
              `test data left: ${left.join(', ')}`,
              'delete them by hand',
            ),
      );
      return out;
    } finally {
      await made.close();
    }
  },
};

async function searchAndExport(ctx: VerifyContext, made: MadeRecords): Promise<CheckResult[]> {
  const d = made.data;
  const ui = await logIn(ctx.site, ctx.plan.admin.login, ctx.secret(ctx.plan.admin.password.secret));
  if (!ui.ok)
    return [result('verify.search', 'workflows.search', 'fail', 'cannot log in to search', ui.reason)];
  const s = await searchFinds(ui.session, d);
  const out = [
    s.missing.length === 0
      ? result('verify.search', 'workflows.search', 'pass', `found ${s.found.join(', ')}`)
      : result(
          'verify.search',
          'workflows.search',
          'fail',
          s.missing.join('; '),
          'the list pages do not find new records: check the database indexes and the search settings',
        ),
  ];
  const e = await exportCsv(ui.session, 'societe_1');
  if (!e.ok)
    out.push(
      result(
        'verify.export',
        'workflows.export',
        'fail',
        'the third-party export did not produce a file',
        e.reason,
      ),
    );
  else if (!e.csv.includes(d.thirdparty.name))
    out.push(
      result(
        'verify.export',
        'workflows.export',
        'fail',
        `${e.file} lacks the test third party`,
        'the export reads stale or filtered data',
      ),
    );
  else
    out.push(
      result(
        'verify.export',
        'workflows.export',
        'pass',
        `${e.file}: ${e.csv.trim().split('\n').length - 1} rows, includes the test third party`,
      ),
    );
  return out;
}

async function upload(ctx: VerifyContext, made: MadeRecords): Promise<CheckResult> {
  const id = made.data.thirdparty.id;
  const up = await (
    made.api
      ? uploadRoundTrip(ctx, made.api, id)
      : made.ui
        ? uploadRoundTripUi(ctx, made.ui, id)
        : Promise.resolve({ ok: false, seen: 'no way to upload' })
  ).catch((err: Error) => ({ ok: false, seen: err.message }));
  return result(
    'verify.uploads',
    'workflows.upload',
    up.ok ? 'pass' : 'fail',
    up.seen,
    up.ok
      ? undefined
      : `check that ${ctx.plan.target.dataRoot} is writable by ${ctx.plan.target.webUser} and the upload limits (client_max_body_size, upload_max_filesize)`,
  );
}
