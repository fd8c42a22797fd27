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

export function evidenceFrom(
  app: AppContext,
  opts: { evidence?: string[]; file?: string[]; link?: string[] },
): Evidence[] {
  return [
    ...(opts.evidence ?? []).map((text) => ({ kind: 'text' as const, text })),
    ...(opts.file ?? []).map((path) => app.storeEvidenceFile(path)),
    ...(opts.link ?? []).map((url) => ({ kind: 'link' as const, url })),
  ];
}
