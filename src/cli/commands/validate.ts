import { z } from 'zod';
import type { CommandModule } from './module.js';
import type { AppContext } from '../../app/context.js';
import { loadRecord } from './records.js';
import { readPlanFile } from '../plan-file.js';
import { parseYamlWithSchema } from '../../core/yaml-input.js';
import { readFileSync } from 'node:fs';
import { inputError, MokoError } from '../../core/errors.js';
import { roleFor } from '../../core/authorize.js';
import type { Plan } from '../../core/plan.js';
import { SecretStore } from '../../store/secrets.js';
import { validateMany } from '../../checks/run-validation.js';
import type { ValidationReport } from '../../checks/finding.js';
import { exitCodeFor, formatReport } from '../../checks/format.js';
import type { ValidationOptions } from '../../checks/options.js';
import { enqueueCommand, queueFlag, queued } from './worker-queue.js';
import type { Command } from 'commander';

interface ValidateFlags {
  plan?: string[];
  options?: string;
  concurrency?: string;
  strict?: boolean;
  as?: string;
}

const optionsSchema = z.strictObject({
  connectAddress: z.string().optional(),
  trustedCaFile: z.string().optional(),
  nginxConfig: z.string().optional(),
  nginxPrefix: z.string().optional(),
  apacheConfig: z.string().optional(),
  sshdConfig: z.string().optional(),
  confPhp: z.string().optional(),
  webRoot: z.string().optional(),
  cronPaths: z.array(z.string()).optional(),
  phpBinary: z.string().optional(),
  commandTimeoutMs: z.number().int().positive().optional(),
});

function readOptions(path?: string): ValidationOptions | undefined {
  if (!path) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw inputError(`cannot read the options file: ${(e as NodeJS.ErrnoException).code}`, { where: path });
  }
  return parseYamlWithSchema(text, path, optionsSchema, 'validation options');
}

/** Validate one or more plans' targets (at most `concurrency` at once), print, set the exit code. */
async function validatePlans(
  a: AppContext,
  plans: Plan[],
  flags: ValidateFlags,
): Promise<ValidationReport[]> {
  const secrets = new SecretStore(a.home);
  const options = readOptions(flags.options);
  const concurrency = flags.concurrency === undefined ? 8 : Number(flags.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw inputError('--concurrency must be a whole number >= 1');
  const reports = await validateMany(
    plans.map((plan) => ({
      plan,
      options,
      secret: (name: string) => (secrets.has(name) ? secrets.get(name) : undefined),
    })),
    { policy: a.policy(), now: () => a.now(), concurrency },
  );
  a.out.result(reports.length === 1 ? reports[0] : reports, () =>
    reports.map((r) => formatReport(r, { color: a.out.colour })).join('\n\n'),
  );
  process.exitCode = exitCodeFor(reports, { strict: flags.strict });
  return reports;
}

/**
 * `mokodeploy validate <id>`: environment validation of the deployment's target, attached to its
 * record as evidence (policy "Environment Validation"; ticks environment-confirmed when passing).
 * `mokodeploy validate --plan FILE...`: the same checks for plan files, nothing recorded.
 * Exit 0 on pass or warn (1 on warn with --strict), 1 on fail or unknown.
 */
export const validateCommands: CommandModule = {
  register(program, app) {
    program
      .command('validate [id]')
      .description("check the target against the policy's environment requirements and record the evidence")
      .option('--plan <file...>', 'validate the targets of plan files, without a deployment record')
      .option('--concurrency <n>', 'targets validated at once with several --plan files (default 8)')
      .option('--options <file>', 'YAML/JSON probe options for non-standard servers (config paths, extra CA)')
      .option('--strict', 'exit 1 on warnings too')
      .addOption(queueFlag())
      .option('--as <login>', 'who acts (recorded with the evidence)')
      .action(async (id: string | undefined, flags: ValidateFlags, cmd: Command) => {
        if (queued(cmd)) return enqueueCommand(app(), cmd);
        const a = app();
        if (flags.plan) {
          if (id) throw inputError('give a deployment id or --plan, not both');
          await validatePlans(
            a,
            flags.plan.map((f) => readPlanFile(f).plan),
            flags,
          );
          return;
        }
        if (!id)
          throw inputError('which deployment?', {
            fix: 'mokodeploy validate <deployment-id>, or --plan FILE',
          });
        const actor = await a.actor(flags.as);
        const { record } = await loadRecord(a, id);
        try {
          roleFor(a.policy(), actor, 'validation.run'); // refuse before spending minutes on the target
        } catch (e) {
          if (e instanceof MokoError) await a.recordRefusal(e, actor.login, 'validation.run', id);
          throw e;
        }
        const [report] = await validatePlans(a, [record.plan], flags);
        await a.act(id, 'record-validation', report!, actor.login);
      });
  },
};

/** The shape the brief asked for: `register(program, app)`. */
export const register = validateCommands.register;
