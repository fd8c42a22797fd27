import type { CommandModule } from './module.js';

/**
 * Every command file, loaded only when its command is asked for: the CLI starts without
 * loading the web server, the browser driver or the database clients that other commands
 * need. `commands` lists the top-level command names the module registers (a unit test
 * keeps it true). A new command file is added here.
 */
export interface LazyCommandModule {
  commands: string[];
  load(): Promise<CommandModule>;
}

export const commandModules: LazyCommandModule[] = [
  { commands: ['policy'], load: async () => (await import('./policy.js')).policyCommands },
  { commands: ['outbox'], load: async () => (await import('./outbox.js')).outboxCommands },
  { commands: ['rollback-decide'], load: async () => (await import('./rollback-decide.js')).rollbackDecideCommands },
  { commands: ['init', 'plan'], load: async () => (await import('./plan.js')).planCommands },
  { commands: ['list', 'show', 'status'], load: async () => (await import('./records.js')).recordCommands },
  {
    commands: ['submit', 'approve', 'ready', 'schedule', 'window-exception', 'golive', 'close', 'cancel', 'retry'],
    load: async () => (await import('./workflow.js')).workflowCommands,
  },
  {
    commands: ['checklist', 'tick', 'untick'],
    load: async () => (await import('./checklist.js')).checklistCommands,
  },
  {
    commands: ['signoff', 'handoff-deliver', 'knowledge-base', 'training', 'support', 'satisfaction'],
    load: async () => (await import('./signoff.js')).signoffCommands,
  },
  { commands: ['issue', 'lesson', 'lessons'], load: async () => (await import('./issues.js')).issueCommands },
  {
    commands: ['rollback-record', 'rollback-analysis'],
    load: async () => (await import('./rollback.js')).rollbackCommands,
  },
  {
    commands: ['run-record', 'verification-record'],
    load: async () => (await import('./run-record.js')).runRecordCommands,
  },
  { commands: ['metrics', 'review'], load: async () => (await import('./metrics.js')).metricsCommands },
  { commands: ['audit'], load: async () => (await import('./audit.js')).auditCommands },
  { commands: ['secret'], load: async () => (await import('./secret.js')).secretCommands },
  { commands: ['backup'], load: async () => (await import('./backup.js')).backupCommands },
  { commands: ['upgrade'], load: async () => (await import('./upgrade.js')).upgradeCommands },
  { commands: ['rollback'], load: async () => (await import('./rollback-run.js')).rollbackRunCommands },
  { commands: ['rehearse'], load: async () => (await import('./rehearse.js')).rehearseCommands },
  { commands: ['archives'], load: async () => (await import('./archives.js')).archivesCommands },
  { commands: ['migrate'], load: async () => (await import('./migrate.js')).migrateCommands },
  { commands: ['package'], load: async () => (await import('./package.js')).packageCommands },
  { commands: ['deploy'], load: async () => (await import('./deploy.js')).deployCommands },
  { commands: ['abort'], load: async () => (await import('./abort.js')).abortCommands },
  { commands: ['lock'], load: async () => (await import('./lock.js')).lockCommands },
  { commands: ['validate'], load: async () => (await import('./validate.js')).validateCommands },
  { commands: ['serve', 'user'], load: async () => (await import('./serve.js')).serveCommands },
  { commands: ['verify'], load: async () => (await import('./verify.js')).verifyCommands },
  { commands: ['entities'], load: async () => (await import('./entities.js')).entitiesCommands },
  { commands: ['report'], load: async () => (await import('./report.js')).reportCommands },
  { commands: ['hypercare'], load: async () => (await import('./hypercare.js')).hypercareCommands },
  { commands: ['store'], load: async () => (await import('./store.js')).storeCommands },
  { commands: ['worker', 'jobs'], load: async () => (await import('./worker.js')).workerCommands },
  { commands: ['fleet'], load: async () => (await import('./fleet.js')).fleetCommands },
];

/** Global options that take a value: their value is not the command word. */
const optionsWithValue = new Set(['--home', '--store']);

/** The command word of an argv (after node and the script), or undefined (help, nothing given). */
export function commandWord(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (optionsWithValue.has(a)) i++;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

/** The modules to load for an argv: the one that owns its command, or all (help, unknown command). */
export async function modulesFor(args: readonly string[]): Promise<CommandModule[]> {
  const word = commandWord(args);
  const owner = commandModules.filter((m) => word !== undefined && m.commands.includes(word));
  return Promise.all((owner.length > 0 ? owner : commandModules).map((m) => m.load()));
}
