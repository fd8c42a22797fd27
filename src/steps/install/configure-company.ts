import type { Step } from '../step.js';
import { runPhpTool } from './tool-command.js';

/** Policy Phase 2 step 5 "Set company information", through Dolibarr's dolibarr_set_const() (php/set-company.ts). */
export const configureCompany: Step = {
  id: 'install:company',
  title: 'Set company name, country and address',
  policyRef: 'deploy.phase2.configure-system',
  plan(ctx) {
    const c = ctx.plan.company;
    return [
      {
        kind: 'run',
        description: `company ${c.name} (${c.country})`,
        command: runPhpTool(ctx, 'set-company.php', {
          company: {
            name: c.name,
            country: c.country,
            address: c.address,
            zip: c.zip,
            town: c.town,
            phone: c.phone,
            email: c.email,
            currency: c.currency,
          },
        }),
      },
    ];
  },
};
