import type { Command } from '../../hosts/host.js';
import { Secret } from '../../core/secret.js';
import type { Plan } from '../../core/plan.js';
import type { PhpToolName } from '../../dolibarr/php/index.js';
import { targetLayout, type TargetLayout } from '../../dolibarr/layout.js';
import type { EntityPhpToolName } from '../../entities/php/index.js';
import type { StepContext } from '../step.js';

export type PlanEntity = Plan['entities'][number];

/** The plan's entities in id order (the master entity 1 first, when the plan configures it). */
export const entitiesOf = (ctx: StepContext): PlanEntity[] =>
  [...ctx.plan.entities].sort((a, b) => a.id - b.id);

/** Paths that do not depend on the release (tools, current/htdocs, data root): usable on an existing install. */
export function entityLayout(ctx: StepContext): TargetLayout {
  return targetLayout(ctx.plan.target.root, ctx.plan.target.dataRoot, 'unused');
}

/** Where Dolibarr keeps an entity's files: DATA_ROOT for entity 1, DATA_ROOT/N above (conf.class.php l.550-551). */
export const entityDataRoot = (ctx: StepContext, id: number): string =>
  id > 1 ? `${ctx.plan.target.dataRoot}/${id}` : ctx.plan.target.dataRoot;

/**
 * One of our PHP tools (install's or the entity steps') as the web user, working in entity `entity`
 * (bootstrap.ts sets $_ENV['dol_entity'] before master.inc.php). The request goes on stdin as a Secret:
 * it may carry passwords.
 */
export function entityTool(
  ctx: StepContext,
  tool: PhpToolName | EntityPhpToolName,
  entity: number,
  request: Record<string, unknown>,
): Command {
  const l = entityLayout(ctx);
  const phpBinary = (ctx.facts as { phpBinary?: string }).phpBinary ?? 'php';
  return {
    argv: [phpBinary, `${l.toolsDir}/${tool}`],
    stdin: new Secret(
      JSON.stringify({ htdocs: l.currentHtdocs, admin: ctx.plan.admin.login, entity, ...request }),
    ),
    asUser: ctx.plan.target.webUser,
    cwd: l.currentHtdocs,
    timeoutMs: 600_000,
  };
}
