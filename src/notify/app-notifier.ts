import { dirname, resolve } from 'node:path';
import type { AppContext } from '../app/context.js';
import { MokoError } from '../core/errors.js';
import type { Team } from '../core/team.js';
import { createNotifier } from './compose.js';
import type { Notifier } from './message.js';

/**
 * The notifier of a CLI or server process: the team file for people's e-mails and settings (none: only client
 * contacts hear), templates from `notify.templates` (relative to the team file) or $MOKODEPLOY_TEMPLATES.
 */
export function appNotifier(app: Pick<AppContext, 'team' | 'policy'>, env: NodeJS.ProcessEnv): Notifier {
  const team = (): { team: Team; file: string } | undefined => {
    try {
      return app.team();
    } catch (e) {
      if (e instanceof MokoError && e.message === 'no team file') return undefined;
      throw e;
    }
  };
  return createNotifier({
    team: () => team()?.team,
    policy: () => app.policy(),
    templatesDir: () => {
      const t = team();
      const own = t?.team.notify?.templates;
      return own ? resolve(dirname(t.file), own) : env.MOKODEPLOY_TEMPLATES;
    },
  });
}
