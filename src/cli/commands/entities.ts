import type { CommandModule } from './module.js';
import type { AppContext } from '../../app/context.js';
import { loadRecord } from './records.js';
import { inputError } from '../../core/errors.js';
import { verifyEntityIsolation } from '../../entities/isolation/run.js';
import type { IsolationReport } from '../../entities/isolation/types.js';
import { openHost } from '../../hosts/open.js';
import { SecretStore } from '../../store/secrets.js';
import { verifyOptions, type VerifyFlags } from './verify.js';

/**
 * `entities verify <id>` (issue 18, policy "Data segregation — Verify entity isolation, Test entity switching"):
 * the isolation check against the deployed site (src/entities/isolation), recorded on the deployment as
 * `facts.entityIsolation` (the handoff pack's "Entities and isolation" section shows it). Exit 1 when a check fails, as verify.
 */
async function verifyEntities(a: AppContext, id: string, f: VerifyFlags): Promise<IsolationReport> {
  await a.actor(f.as);
  const { record } = await loadRecord(a, id);
  if (!record.plan.entities.some((e) => e.users.length > 0))
    throw inputError(`the plan of ${id} has no entity with users: nobody to check the isolation as`, {
      fix: 'give each entity at least one user (entities[].users) with read rights, and deploy it',
    });
  const secrets = new SecretStore(a.home);
  const host = openHost(record.plan.target);
  const o = verifyOptions(f);
  try {
    const ctx = {
      plan: record.plan,
      policy: a.policy(),
      facts: {},
      outputs: {},
      secret: (n: string) => secrets.get(n),
    };
    a.out.line(
      `checking the isolation of ${record.plan.entities.length} entities at ${record.plan.site.url}`,
    );
    const report = await verifyEntityIsolation(
      host,
      ctx,
      { url: record.plan.site.url, ca: o.ca, address: o.address },
      a.now(),
    );
    await a.act(id, 'record-facts', { entityIsolation: report }, f.as);
    return report;
  } finally {
    await host.close();
  }
}

export const entitiesCommands: CommandModule = {
  register(program, app) {
    const entities = program
      .command('entities')
      .description('multi-entity deployments (multicompany): checks');
    entities
      .command('verify <id>')
      .description(
        "check that each entity's users see no other entity's data (Chromium and REST API) and that the admin switches entity; recorded on the deployment",
      )
      .option('--ca-file <pem>', "trust this CA for the site's certificate")
      .option('--address <ip>', "connect to this address instead of resolving the site's name")
      .option('--as <login>', 'who acts')
      .action(async (id: string, f: VerifyFlags) => {
        const a = app();
        const r = await verifyEntities(a, id, f);
        const failed = r.checks.filter((c) => !c.ok);
        a.out.result(r, () =>
          [
            ...r.checks.map(
              (c) =>
                `${c.ok ? 'ok  ' : 'FAIL'} ${c.channel} entity ${c.entity}${c.other ? ` vs ${c.other}` : ''} ${c.id}: ${c.detail}`,
            ),
            `${id}: ${r.checks.length - failed.length} of ${r.checks.length} isolation checks passed; recorded`,
          ].join('\n'),
        );
        if (!r.ok) process.exitCode = 1; // as verify: a failing check is exit 1
      });
  },
};
