import type { Command } from '../../hosts/host.js';
import { Secret } from '../../core/secret.js';
import type { PhpToolName } from '../../dolibarr/php/index.js';
import type { StepContext } from '../step.js';
import { layoutOf, php } from './context.js';

/**
 * Run one of our PHP tools as the web user (so files Dolibarr creates belong to it) with a JSON request
 * on stdin. The request is always wrapped in a Secret: it may carry passwords and must never be logged.
 */
export function runPhpTool(
  ctx: StepContext,
  tool: PhpToolName,
  request: Record<string, unknown>,
  cwd?: string,
): Command {
  const layout = layoutOf(ctx);
  return {
    argv: [php(ctx), `${layout.toolsDir}/${tool}`],
    stdin: new Secret(
      JSON.stringify({ htdocs: layout.currentHtdocs, admin: ctx.plan.admin.login, ...request }),
    ),
    asUser: ctx.plan.target.webUser,
    cwd: cwd ?? layout.currentHtdocs,
    timeoutMs: 600_000,
  };
}

/** `test -e PATH` as a probe command. */
export const testExists = (path: string): Command => ({ sudo: true, argv: ['test', '-e', path] });
