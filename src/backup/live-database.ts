import type { Plan } from '../core/plan.js';
import { targetLayout } from '../dolibarr/layout.js';
import type { Host } from '../hosts/host.js';
import type { StepContext } from '../steps/step.js';
import type { TargetState } from './target-state.js';

/**
 * Issue 19: the database the site serves. An upgrade by copy switches by `current` alone (no RENAME TABLE): the
 * migrated copy `<plan name>_mk<stamp>` becomes live and the shared conf.php names it, so after one the live schema
 * no longer has the plan's name. Every step that reads or writes the site's data asks here: `facts.liveDatabase` when
 * the run set it (the upgrade after its switch, a rollback), else what `current`'s conf.php named when the facts were
 * gathered (readTargetState: `$dolibarr_main_db_name` with the release's own conf.php included), else — a target
 * not read yet (a new install, a dry run) — the plan's name.
 */
export function liveDatabase(ctx: StepContext): string {
  const f = ctx.facts as { liveDatabase?: unknown; target?: Partial<TargetState> };
  if (typeof f.liveDatabase === 'string' && f.liveDatabase !== '') return f.liveDatabase;
  const read = f.target?.liveDatabase;
  return typeof read === 'string' && read !== '' ? read : ctx.plan.database.name;
}

/** The same context on another database (the copy of an upgrade, before its switch): facts and plan name it. */
export function onLiveDatabase(ctx: StepContext, name: string): StepContext {
  return {
    ...ctx,
    facts: { ...ctx.facts, liveDatabase: name },
    plan: { ...ctx.plan, database: { ...ctx.plan.database, name } },
  };
}

/** A database an upgrade by copy of this plan may have made live (the plan's name, or <name>_mk<stamp>). */
export function isDeploymentDatabase(planName: string, name: string): boolean {
  if (name === planName) return true;
  const m = /^(.*)_mk\d{14}$/.exec(name);
  return m !== null && planName.startsWith(m[1]!) && m[1]!.length === Math.min(planName.length, 64 - 17);
}

/** Constant: include `current`'s conf.php (a release's own one includes the shared one) and print the name. */
export const printDbName =
  'include $argv[1]; echo isset($dolibarr_main_db_name) ? $dolibarr_main_db_name : "";';

/** `current`'s conf.php (the served release's own, which includes the shared one). */
export function liveConfPhp(plan: Plan): string {
  return `${targetLayout(plan.target.root, plan.target.dataRoot, 'unused').currentLink}/htdocs/conf/conf.php`;
}

/** What `printDbName` printed, when it is a database name. */
export function parseLiveDatabase(stdout: string): string | undefined {
  const name = stdout.trim();
  return /^[A-Za-z0-9_$]{1,64}$/.test(name) ? name : undefined;
}

/**
 * The live database read back from the target for a command that gathers no upgrade facts (verify, report):
 * `$dolibarr_main_db_name` of <root>/current/htdocs/conf/conf.php; undefined when there is none to read, or when it
 * is not this deployment's (the plan's name or `<name>_mk<stamp>`, as readTargetState takes it): conf.php is code the
 * web user may be able to change, and the name goes into the verification's and the report's queries.
 */
export async function readLiveDatabase(host: Host, plan: Plan): Promise<string | undefined> {
  const conf = liveConfPhp(plan);
  // as the web user: conf.php is code, and the web user can read it (never run it as root)
  const r = await host.run({
    asUser: plan.target.webUser,
    argv: ['php', '-r', printDbName, '--', conf],
    timeoutMs: 30_000,
  });
  const name = r.code === 0 ? parseLiveDatabase(r.stdout) : undefined;
  return name !== undefined && isDeploymentDatabase(plan.database.name, name) ? name : undefined;
}
