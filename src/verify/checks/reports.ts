import { result, type CheckResult, type VerifyCheck } from '../check.js';
import { DolibarrApi } from '../api-client.js';
import {
  buildTestDocument,
  enabledDocumentKind,
  documentKinds,
  pdfProblems,
  sha256,
  storedSha256,
  type BuiltDocument,
} from '../report-doc.js';
import type { VerifyContext } from '../context.js';
import { testAs } from '../target-probe.js';

/**
 * Policy "Reports generate correctly": Dolibarr builds a real PDF of a temporary draft document (report-doc.ts);
 * the answer must be a PDF, the same file must be in the documents directory, and everything is removed again.
 */
const item = 'verify.reports';

export const reportsCheck: VerifyCheck = {
  id: 'reports',
  item,
  title: 'Reports (PDF documents) generate',
  async run(ctx) {
    const kind = await enabledDocumentKind(ctx);
    if (!kind)
      return [
        result(
          item,
          'reports.pdf',
          'skip',
          `no module that makes PDF documents is enabled (${documentKinds.map((k) => k.module).join(', ')})`,
          "enable one (plan modules), or check the client's reports by hand and record it: mokodeploy verification-record <id> results.yaml",
        ),
      ];
    let api: DolibarrApi;
    try {
      api = await DolibarrApi.login(
        ctx.site,
        ctx.plan.admin.login,
        ctx.secret(ctx.plan.admin.password.secret),
      );
    } catch (e) {
      return [
        result(
          item,
          'reports.api',
          'fail',
          'cannot use the REST API to build a document',
          (e as Error).message,
        ),
      ];
    }
    let doc: BuiltDocument;
    try {
      doc = await buildTestDocument(ctx, api, kind);
    } catch (e) {
      await removeAll(ctx);
      return [
        result(
          item,
          'reports.pdf',
          'fail',
          `Dolibarr did not build the ${kind.label} PDF: ${(e as Error).message}`,
          `check that ${ctx.plan.target.dataRoot}/${kind.dir} is a directory writable by ${ctx.plan.target.webUser}, and Dolibarr's log (dolibarr.log) for the template's error`,
        ),
      ];
    }
    const out = [await judge(ctx, doc)];
    out.push(await cleanup(ctx, api, doc));
    return out;
  },
};

async function judge(ctx: VerifyContext, doc: BuiltDocument): Promise<CheckResult> {
  const what = `${doc.kind.label} ${doc.ref} (template ${doc.template})`;
  const problems = pdfProblems(doc.pdf);
  if (problems.length)
    return result(
      item,
      'reports.pdf',
      'fail',
      `${what}: the file is not a PDF: ${problems.join('; ')}`,
      'check the PDF template and PHP errors in the logs',
    );
  const stored = await storedSha256(ctx, doc.path);
  if (stored.sha !== sha256(doc.pdf))
    return result(
      item,
      'reports.pdf',
      'fail',
      `${what}: ${doc.path} ${stored.why ? `cannot be read: ${stored.why}` : 'differs from the PDF Dolibarr returned'}`,
      `check that ${ctx.plan.target.dataRoot} is the data root Dolibarr writes to ($dolibarr_main_data_root)`,
    );
  return result(
    item,
    'reports.pdf',
    'pass',
    `${what}: ${doc.pdf.length} bytes PDF built and stored in ${doc.path}`,
  );
}

async function removeAll(ctx: VerifyContext): Promise<void> {
  for (const undo of ctx.cleanups.splice(0).reverse()) await undo().catch(() => {});
}

async function cleanup(ctx: VerifyContext, api: DolibarrApi, doc: BuiltDocument): Promise<CheckResult> {
  await removeAll(ctx);
  const left: string[] = [];
  for (const [path, what] of [
    [`${doc.kind.api}/${doc.id}`, doc.kind.label],
    [`thirdparties/${doc.thirdpartyId}`, 'third party'],
  ] as const) {
    if (
      await api.call('GET', path).then(
        () => true,
        () => false,
      )
    )
      left.push(`${what} ${path}`);
  }
  const dir = doc.path.replace(/\/[^/]+$/, '');
  const still = await testAs(ctx, ctx.plan.target.webUser, '-e', dir);
  if (!still.known) left.push(`${dir} (${still.why})`);
  else if (still.value) left.push(dir);
  return left.length === 0
    ? result(item, 'reports.cleanup', 'pass', `test ${doc.kind.label} and its PDF removed`)
    : result(item, 'reports.cleanup', 'warn', `test data left: ${left.join(', ')}`, 'delete them by hand');
}
