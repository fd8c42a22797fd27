import { posix } from 'node:path';
import type { Action, Step } from '../step.js';
import { entitiesOf, entityDataRoot, entityTool, type PlanEntity } from './context.js';
import type { StepContext } from '../step.js';

/** '#1a5276' as eldy stores it: "26,82,118" (admin/ihm.php saves colorStringToArray() joined by commas). */
export const eldyColor = (hex: string): string =>
  [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(',');

function brandingActions(ctx: StepContext, e: PlanEntity): Action[] {
  const b = e.branding;
  if (!b) return [];
  const t = ctx.plan.target;
  const actions: Action[] = [];
  if (b.logo) {
    const root = entityDataRoot(ctx, e.id);
    const logos = `${root}/mycompany/logos`;
    const name = posix.basename(b.logo);
    const owned = ['-o', t.webUser, '-g', t.webGroup];
    actions.push(
      {
        // the web user's own directories: Dolibarr writes the thumbs there, and later every document of the entity
        kind: 'run',
        description: `entity ${e.id}: data directories ${logos}`,
        command: {
          sudo: true,
          argv: [
            'install',
            '-d',
            '-m',
            '0750',
            ...owned,
            '--',
            ...(e.id > 1 ? [root] : []),
            `${root}/mycompany`,
            logos,
          ],
        },
      },
      {
        kind: 'run',
        description: `entity ${e.id}: copy the logo ${name}`,
        command: {
          sudo: true,
          argv: ['install', '-m', '0640', ...owned, '--', b.logo, `${logos}/${name}`],
        },
      },
      {
        kind: 'run',
        description: `entity ${e.id}: logo ${name} and its thumbs`,
        command: entityTool(ctx, 'set-logo.php', e.id, { logo: name }),
      },
    );
  }
  if (b.topMenuColor)
    actions.push({
      kind: 'run',
      description: `entity ${e.id}: top menu colour ${b.topMenuColor}`,
      command: entityTool(ctx, 'set-constants.php', e.id, {
        constants: [{ name: 'THEME_ELDY_TOPMENU_BACK1', value: eldyColor(b.topMenuColor) }],
      }),
    });
  return actions;
}

/** Policy "Entity-specific customization — Configure entity branding": logo and colours, constants of the entity. */
export const entityBranding: Step = {
  id: 'entities:branding',
  title: 'Brand each entity (logo, colours)',
  policyRef: 'deploy.multi-entity.entity-customization',
  plan: (ctx) => entitiesOf(ctx).flatMap((e) => brandingActions(ctx, e)),
};
