import { result, type CheckResult, type VerifyCheck } from '../check.js';
import { DolibarrApi } from '../api-client.js';
import { uploadRoundTrip } from '../api-upload.js';
import { logIn } from '../session.js';
import { exportCsv } from '../ui-export.js';
import { searchFinds } from '../ui-search.js';
import { createTestData, readBack, removeTestData } from '../workflow-data.js';

/**
 * Policy "Critical workflows functional", "Search functionality working", "Export functionality working",
 * "File uploads working": create a third party, a contact and a product (REST API), find them with the search
 * box's list pages, export the third parties with the export wizard, attach a file — then remove it all.
 */
export const workflowsCheck: VerifyCheck = {
  id: 'workflows',
  item: 'verify.workflows',
  title: 'Critical workflows, search, export, upload',
  async run(ctx) {
    const password = ctx.secret(ctx.plan.admin.password.secret);
    let api: DolibarrApi;
    try {
      api = await DolibarrApi.login(ctx.site, ctx.plan.admin.login, password);
    } catch (e) {
      const why = (e as Error).message;
      return [
        result('verify.workflows', 'workflows.api', 'fail', 'cannot use the REST API', why),
        ...['verify.search', 'verify.export', 'verify.uploads'].map((i) =>
          result(
            i,
            i.replace('verify.', 'workflows.'),
            'skip',
            'not tried: no test data without the API',
            why,
          ),
        ),
      ];
    }
    const d = await createTestData(ctx, api);
    const out: CheckResult[] = [];
    const problems = await readBack(api, d);
    out.push(
      problems.length === 0
        ? result(
            'verify.workflows',
            'workflows.create',
            'pass',
            `created and read back third party #${d.thirdparty.id}, contact #${d.contact.id}, product #${d.product.id}`,
          )
        : result(
            'verify.workflows',
            'workflows.create',
            'fail',
            'records read back differently',
            problems.join('; '),
          ),
    );
    const ui = await logIn(ctx.site, ctx.plan.admin.login, password);
    if (!ui.ok)
      out.push(result('verify.search', 'workflows.search', 'fail', 'cannot log in to search', ui.reason));
    else {
      const s = await searchFinds(ui.session, d);
      out.push(
        s.missing.length === 0
          ? result('verify.search', 'workflows.search', 'pass', `found ${s.found.join(', ')}`)
          : result(
              'verify.search',
              'workflows.search',
              'fail',
              s.missing.join('; '),
              'the list pages do not find new records: check the database indexes and the search settings',
            ),
      );
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
    }
    const up = await uploadRoundTrip(ctx, api, d.thirdparty.id).catch((err: Error) => ({
      ok: false,
      seen: err.message,
    }));
    out.push(
      result(
        'verify.uploads',
        'workflows.upload',
        up.ok ? 'pass' : 'fail',
        up.seen,
        up.ok
          ? undefined
          : `check that ${ctx.plan.target.dataRoot} is writable by ${ctx.plan.target.webUser} and the upload limits (client_max_body_size, upload_max_filesize)`,
      ),
    );
    const left = await removeTestData(ctx, api, d);
    out.push(
      left.length === 0
        ? result('verify.workflows', 'workflows.cleanup', 'pass', `test data ${d.tag} removed`)
        : result(
            'verify.workflows',
            'workflows.cleanup',
            'warn',
            `test data left: ${left.join(', ')}`,
            'delete them by hand',
          ),
    );
    return out;
  },
};
