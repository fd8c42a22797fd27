import type { Command } from 'commander';
import type { AppContext } from '../../app/context.js';
import type { Evidence } from '../../core/record.js';

/** --evidence TEXT, --file PATH and --link URL, each repeatable. */
export function withEvidenceOptions(cmd: Command): Command {
  const collect = (v: string, prev: string[] = []) => [...prev, v];
  return cmd
    .option('--evidence <text>', 'evidence as text (repeatable)', collect)
    .option('--file <path>', 'evidence file, stored with its sha256 (repeatable)', collect)
    .option('--link <url>', 'evidence link (repeatable)', collect);
}

/** Files are stored (in the evidence location) before anything is recorded: a failed store records nothing. */
export async function evidenceFrom(
  app: AppContext,
  opts: { evidence?: string[]; file?: string[]; link?: string[] },
): Promise<Evidence[]> {
  const files: Evidence[] = [];
  for (const path of opts.file ?? []) files.push(await app.storeEvidenceFile(path));
  return [
    ...(opts.evidence ?? []).map((text) => ({ kind: 'text' as const, text })),
    ...files,
    ...(opts.link ?? []).map((url) => ({ kind: 'link' as const, url })),
  ];
}
