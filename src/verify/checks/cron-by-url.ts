import { result, type CheckResult } from '../check.js';
import type { VerifyContext } from '../context.js';
import { readText, refusedWhy } from '../target-probe.js';
import { readCronPageAnswer, type CronPageAnswer } from './cron-page-answer.js';

/**
 * `dolibarr.cron` for a release without scripts/ (issue 14 point 5): the cron file calls
 * `curl -K <tools>/cron-by-url.curl`, which GETs htdocs/public/cron/cron_run_jobs_by_url.php and writes the
 * page's answer to <dataRoot>/mokodeploy-cron-last-run.txt (src/steps/install/cron-by-url.ts). The page answers
 * "Result: …" once the key and the login were accepted (l.239-244, 20.0.2), else why not ("Securitykey is wrong.").
 * A recent answer proves the scheduled run happened; otherwise one run now shows whether it can.
 */
const item = 'verify.workflows';
const recentSeconds = 15 * 60; // the cron line runs every 5 minutes

export async function cronByUrlResult(ctx: VerifyContext, cronFile: string): Promise<CheckResult> {
  const conf = `${ctx.paths.toolsDir}/cron-by-url.curl`;
  const answerFile = `${ctx.paths.dataRoot.replace(/\/+$/, '')}/mokodeploy-cron-last-run.txt`;
  const last = await lastAnswer(ctx, answerFile);
  if (last && last.ageSeconds <= recentSeconds && last.answer.ran)
    return result(
      item,
      'dolibarr.cron',
      'pass',
      `${cronFile} (by URL) ran ${Math.round(last.ageSeconds / 60)} min ago: ${last.answer.said}`,
    );
  const r = await ctx.host.run({
    argv: ['curl', '-K', conf],
    asUser: ctx.plan.target.webUser,
    timeoutMs: 320_000,
  });
  const refused = refusedWhy(r);
  if (refused)
    return result(item, 'dolibarr.cron', 'unknown', `${cronFile} present; curl could not run`, refused);
  const now = await lastAnswer(ctx, answerFile);
  const said = now?.answer.said ?? r.stderr.trim().split('\n').slice(-1)[0] ?? '';
  const notRun = last
    ? `last scheduled answer ${Math.round(last.ageSeconds / 60)} min old`
    : 'no scheduled run seen yet';
  return r.code === 0 && now?.answer.ran
    ? result(item, 'dolibarr.cron', 'pass', `${cronFile} (by URL) present; ${notRun}; a run now: ${said}`)
    : result(
        item,
        'dolibarr.cron',
        'fail',
        `${cronFile} (by URL): the jobs page did not run them (curl exit ${r.code}): ${said}`,
        'run `curl -K ' +
          conf +
          '` as the web user and fix what the page says (module Cron enabled? CRON_KEY set? the site reachable on this server?)',
      );
}

async function lastAnswer(
  ctx: VerifyContext,
  path: string,
): Promise<{ answer: CronPageAnswer; ageSeconds: number } | undefined> {
  const text = await readText(ctx, path);
  if (!text.known || text.value === undefined) return undefined;
  const stat = await ctx.host.run({ argv: ['stat', '-c', '%Y', '--', path], sudo: true });
  const mtime = Number(stat.stdout.trim());
  if (stat.code !== 0 || !Number.isFinite(mtime)) return undefined;
  return { answer: readCronPageAnswer(text.value), ageSeconds: Math.max(0, Date.now() / 1000 - mtime) };
}
