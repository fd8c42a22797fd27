import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CommandModule } from './module.js';
import type { AppContext } from '../../app/context.js';
import { inputError } from '../../core/errors.js';
import { roleFor } from '../../core/authorize.js';
import { makeWorkerUtils } from 'graphile-worker';
import { openQueuePool } from '../../queue/pool.js';
import { queueUrlOf } from './worker-queue.js';
import { quietLogger } from '../../queue/schema.js';
import { selectMembers, type FleetOperation } from '../../fleet/select.js';
import { shapeFrom } from '../../fleet/waves.js';
import { runFleet } from '../../fleet/run-fleet.js';
import { listFleets, readFleet } from '../../fleet/rows.js';
import { fleetReport, fleetReportHtml, fleetSummary, type FleetReport } from '../../fleet/report.js';
import type { JobArgs } from '../../queue/job.js';

interface FleetFlags {
  clients?: string;
  all?: boolean;
  canary?: string;
  wave?: string;
  maxFailures?: string;
  as?: string;
  report?: string;
}

/** Options of the client command a fleet passes to every client's job, by operation. */
const forwarded: Record<FleetOperation, [flag: string, help: string][]> = {
  validate: [['--strict', 'a client with warnings fails too']],
  upgrade: [
    ['--in-place', 'migrate each live database in maintenance mode instead of a copy'],
    ['--address <ip>', "connect to this address instead of resolving each site's name"],
    ['--ca-file <pem>', "PEM CA the sites' certificates chain to"],
    ['--fpm-pid <file>', 'reload a stand-alone php-fpm by its pid file instead of systemctl'],
  ],
  verify: [
    ['--address <ip>', "connect to this address instead of resolving each site's name"],
    ['--ca-file <pem>', "PEM CA the sites' certificates chain to"],
  ],
};

/** `mokodeploy fleet validate|upgrade|verify …`, `fleet status [ID]`, `fleet report ID` (issue 20). */
export const fleetCommands: CommandModule = {
  register(program, app) {
    const fleet = program
      .command('fleet')
      .description('one operation over many clients, each through its own record and gates: a canary, then waves on the queue workers');
    for (const op of Object.keys(forwarded) as FleetOperation[]) {
      const cmd = fleet
        .command(op)
        .description(`${op} each client's deployment on the workers: canary first, then waves; halts past --max-failures`)
        .option('--clients <list>', 'comma-separated client names')
        .option('--all', 'every client with a deployment record')
        .option('--canary <n>', 'clients run first, alone (default 1; a failed canary halts the fleet)')
        .option('--wave <n>', 'clients run at once after the canary (default 5)')
        .option('--max-failures <k>', 'failures tolerated before the fleet halts (default 0)')
        .option('--as <login>', 'who acts on every record')
        .option('--report <dir>', 'where the fleet report goes (default <home>/fleet-reports)');
      for (const [flag, help] of forwarded[op]) cmd.option(flag, help);
      cmd.action(async (o: FleetFlags, c: Command) => runFleetCommand(app(), op, o, c));
    }
    fleet
      .command('status [fleet]')
      .description('the fleet operations, newest first, or one with each client: done, running, failed, untouched, blocked')
      .action(async (id: string | undefined, _o: unknown, cmd: Command) => {
        const a = app();
        const pool = await openQueuePool(queueUrlOf(cmd), 2);
        try {
          if (id) {
            const r = fleetReport(await readFleet(pool, id, await a.storeSigner()));
            a.out.result(r, () => fleetSummary(r));
          } else {
            const all = await listFleets(pool, 20, await a.storeSigner());
            a.out.result(all, () => all.map((f) => `${f.id}\t${f.operation}\t${f.state}`).join('\n') || 'no fleet operations');
          }
        } finally {
          await pool.end();
        }
      });
    fleet
      .command('report <fleet>')
      .description('write the fleet report (HTML and JSON)')
      .option('--out <dir>', 'where (default <home>/fleet-reports)')
      .action(async (id: string, o: { out?: string }, cmd: Command) => {
        const a = app();
        const pool = await openQueuePool(queueUrlOf(cmd), 2);
        try {
          const r = fleetReport(await readFleet(pool, id, await a.storeSigner()));
          const files = writeReport(r, o.out ?? join(a.home, 'fleet-reports'));
          a.out.result({ ...files }, () => `${files.html}\n${files.json}`);
        } finally {
          await pool.end();
        }
      });
  },
};

async function runFleetCommand(a: AppContext, op: FleetOperation, o: FleetFlags, c: Command): Promise<void> {
  if (!!o.clients === !!o.all) throw inputError('name the clients or take them all', { fix: 'give --clients a,b,c or --all' });
  const clients = o.all ? 'all' : o.clients!.split(',').map((x) => x.trim()).filter(Boolean);
  if (clients !== 'all' && clients.length === 0) throw inputError('--clients: no client named', { where: '--clients', fix: '--clients acme,globex' });
  const shape = shapeFrom(o);
  const actor = await a.actor(o.as);
  if (op === 'upgrade') roleFor(a.policy(), actor, 'deployment.execute'); // refused once, not once per client
  const records = await (await a.store()).all();
  const members = selectMembers(records, op, clients, { policy: a.policy(), now: a.now() });
  const pool = await openQueuePool(queueUrlOf(c), 3);
  const utils = await makeWorkerUtils({ pgPool: pool, logger: quietLogger() });
  try {
    const row = await runFleet({
      pool,
      utils,
      operation: op,
      members,
      shape,
      as: actor.login,
      options: optionsOf(c, op),
      signer: await a.storeSigner(),
      progress: (line) => void process.stderr.write(`fleet: ${line}\n`),
      refused: async (job, client, reason) =>
        void (await (await a.store()).appendAudit({
          at: new Date().toISOString(),
          actor: actor.login,
          role: '-',
          action: 'job-refused',
          deploymentId: null, // the row's word, not a fact
          summary: `fleet member ${client}: ${reason}`,
          before: null,
          after: { job, client },
        })),
    });
    const report = fleetReport(row);
    const files = writeReport(report, o.report ?? join(a.home, 'fleet-reports'));
    a.out.result({ ...report, files }, () => `${fleetSummary(report)}\nreport: ${files.html}`);
    if (report.counts.done !== members.length) process.exitCode = 1;
  } finally {
    await utils.release();
    await pool.end();
  }
}

/** The forwarded options the person gave, by long name, as a job carries them. */
function optionsOf(c: Command, op: FleetOperation): JobArgs['options'] {
  const names = new Set(forwarded[op].map(([flag]) => flag.split(' ')[0]!.slice(2)));
  const out: JobArgs['options'] = {};
  const values = c.opts<Record<string, unknown>>();
  for (const opt of c.options) {
    const name = opt.long?.slice(2);
    if (!name || !names.has(name) || c.getOptionValueSource(opt.attributeName()) !== 'cli') continue;
    const v = values[opt.attributeName()];
    out[name] = typeof v === 'boolean' ? true : name === 'ca-file' || name === 'fpm-pid' ? resolve(String(v)) : String(v);
  }
  return out;
}

function writeReport(r: FleetReport, dir: string): { html: string; json: string } {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files = { html: join(dir, `${r.fleet}.html`), json: join(dir, `${r.fleet}.json`) };
  writeFileSync(files.html, fleetReportHtml(r).text, { mode: 0o600 });
  writeFileSync(files.json, `${JSON.stringify(r, null, 2)}\n`, { mode: 0o600 });
  return files;
}
