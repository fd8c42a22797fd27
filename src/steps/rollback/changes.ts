import { bashCommand } from '../../backup/bash.js';
import { liveDatabase } from '../../backup/live-database.js';
import { dbConnection } from '../../backup/connection.js';
import { checksumStatementsSql, parseInventory, rowCountStatementsSql } from '../../backup/inventory.js';
import type { TableInventory } from '../../backup/inventory.js';
import type { Command, Host } from '../../hosts/host.js';
import { performAction } from '../../runner/perform.js';
import type { StepContext } from '../step.js';
import { fixedLayout, maintenanceFlagPath } from '../upgrade/context.js';
import { backupLayout } from '../../backup/layout.js';
import { momentFiles, type InventoryMoment } from './upgrade-inventory.js';

/**
 * Issue 25 "a rollback after writes discards them silently": what the live site holds that the backup does not —
 * per table the rows added (or removed) and whether its CHECKSUM TABLE differs, against tables/rows.tsv and
 * checksums.tsv the backup recorded, and the files of the documents directory modified after the backup started
 * (its stamp). Read-only: measured before anything changes, so a refusal leaves the target as it was.
 */
export interface TableChange {
  table: string;
  /** Rows in the backup (undefined: a table the backup does not have). */
  before?: number;
  now: number;
  /** now - before: rows added (negative: removed). */
  added: number;
  /** Same count, different CHECKSUM TABLE: rows changed (or the table's definition). */
  changed: boolean;
}

export interface SiteChanges {
  tables: TableChange[];
  documents: string[];
}

/** Constant: $1 the SQL generating the statements, the rest the client's argv; prints `name<TAB>value` lines. */
const listScript = '"${@:2}" -e "$1" | "${@:2}"';
const checksumScript = `${listScript} | sed 's/^[^.]*\\.//'`;
/** Constant: $1 the documents directory, $2 `@epoch`; prints the files modified after, relative, NUL-separated. */
const newerScript = 'cd "$1" && find . -type f -newermt "$2" -print0';

/** The backup's stamp (UTC yyyymmddHHMMSS, when it started) as find's `-newermt @epoch`. */
export function stampEpoch(stamp: string): string {
  const [y, mo, d, h, mi, s] = [0, 4, 6, 8, 10, 12].map((i, k) => Number(stamp.slice(i, k === 0 ? 4 : i + 2)));
  return `@${Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) / 1000}`;
}

export function documentsNewerCommand(dataRoot: string, backupStamp: string): Command {
  return bashCommand(newerScript, 600_000, [dataRoot, stampEpoch(backupStamp)]);
}

export function liveInventoryCommands(ctx: StepContext): Command[] {
  const conn = dbConnection(ctx);
  const client = [...conn.argv('mariadb'), '--batch', '--skip-column-names', liveDatabase(ctx)];
  return [
    bashCommand(listScript, undefined, [rowCountStatementsSql, ...client]),
    bashCommand(checksumScript, undefined, [checksumStatementsSql, ...client]),
  ];
}

export function compareInventories(backup: TableInventory, live: TableInventory): TableChange[] {
  const out: TableChange[] = [];
  for (const [table, now] of live.rows) {
    const before = backup.rows.get(table);
    const changed = before === now && backup.checksums.get(table) !== live.checksums.get(table);
    if (before === undefined || before !== now || changed)
      out.push({ table, before, now, added: now - (before ?? 0), changed });
  }
  for (const [table, before] of backup.rows)
    if (!live.rows.has(table)) out.push({ table, before, now: 0, added: -before, changed: true });
  return out.sort((a, b) => a.table.localeCompare(b.table));
}

async function output(host: Host, command: Command, what: string): Promise<string> {
  const r = await host.run(command);
  if (r.code !== 0) throw new Error(`${what}: exit ${r.code}: ${r.stderr.trim().slice(0, 500)}`);
  return r.stdout;
}

/** The inventory an upgrade recorded in its backup at `moment` (upgrade-inventory.ts), if it did. */
async function momentInventory(host: Host, tablesDir: string, moment: InventoryMoment) {
  const f = momentFiles(tablesDir, moment);
  try {
    const text = async (p: string) => (await host.readFile(p)).toString('utf8');
    return parseInventory(await text(f.rows), await text(f.checksums));
  } catch {
    return undefined;
  }
}

/** Two stretches of changes added up per table (the migration between them is the upgrade's, not the client's). */
export function mergeChanges(a: TableChange[], b: TableChange[]): TableChange[] {
  const out = new Map(a.map((t) => [t.table, { ...t }]));
  for (const t of b) {
    const x = out.get(t.table);
    if (!x) out.set(t.table, { ...t });
    else out.set(t.table, { ...x, now: t.now, added: x.added + t.added, changed: x.changed || t.changed });
  }
  return [...out.values()].sort((x, y) => x.table.localeCompare(y.table));
}

/**
 * True when the site still answers 503 (the upgrade's maintenance flag is there): nobody could write since the
 * switch. Absent, or not known, counts as serving (the conservative answer: the writes are counted).
 */
async function stillInMaintenance(host: Host, ctx: StepContext): Promise<boolean> {
  const r = await host.run({ argv: ['test', '-e', maintenanceFlagPath(ctx.plan.target.root)], sudo: true });
  return r.code === 0;
}

/**
 * Measure the live site against the backup (its inventory read by readBackup). When the backup is an upgrade's,
 * the upgrade's own changes are left out: the client's writes are those before its switch (backup -> before-switch)
 * plus those after it (after-upgrade -> live); an upgrade that never finished (killed in maintenance) received
 * none after its switch. One killed after serving again but before its after-upgrade inventory has no baseline:
 * everything since its switch is counted, the migration's changes with the client's (never a write lost silently).
 */
export async function measureChanges(
  host: Host,
  ctx: StepContext,
  backup: { stamp: string; tables: TableInventory },
): Promise<SiteChanges> {
  const tablesDir = backupLayout(ctx.plan.target.backupRoot, backup.stamp).tablesDir;
  const beforeSwitch = await momentInventory(host, tablesDir, 'before-switch');
  const afterUpgrade = beforeSwitch && (await momentInventory(host, tablesDir, 'after-upgrade'));
  const conn = dbConnection(ctx);
  const [rows, sums] = liveInventoryCommands(ctx);
  let live: TableInventory;
  for (const a of conn.before) await performAction(host, a, 'rollback:measure-changes');
  try {
    live = parseInventory(
      await output(host, rows!, 'row counts of the live database'),
      await output(host, sums!, 'CHECKSUM TABLE of the live database'),
    );
  } finally {
    for (const a of conn.after) await performAction(host, a, 'rollback:measure-changes');
  }
  const docs = await output(
    host,
    documentsNewerCommand(fixedLayout(ctx).dataRoot, backup.stamp),
    'documents newer than the backup',
  );
  const tables = !beforeSwitch
    ? compareInventories(backup.tables, live)
    : mergeChanges(
        compareInventories(backup.tables, beforeSwitch),
        afterUpgrade
          ? compareInventories(afterUpgrade, live)
          : (await stillInMaintenance(host, ctx))
            ? []
            : compareInventories(beforeSwitch, live),
      );
  return {
    tables,
    documents: docs
      .split('\0')
      .filter((f) => f !== '')
      .map((f) => f.replace(/^\.\//, ''))
      .filter((f) => !lockFiles.includes(f))
      .sort(),
  };
}

/**
 * Dolibarr's own lock files at the top of the documents directory (install.lock, upgrade.unlock: the upgrade
 * creates and removes them, DOLIBARR.md §3): not the client's documents, and the restore puts them back as backed up.
 */
const lockFiles = ['install.lock', 'upgrade.unlock'];

export const hasChanges = (c: SiteChanges) => c.tables.length > 0 || c.documents.length > 0;

/** One line per table and the documents, for the refusal and the rollback's output. */
export function describeChanges(c: SiteChanges): string[] {
  const tables = c.tables.map((t) =>
    t.before === undefined
      ? `${t.table}: new table, ${t.now} rows`
      : t.added !== 0
        ? `${t.table}: ${t.added > 0 ? '+' : ''}${t.added} rows (${t.before} -> ${t.now})${t.changed ? ', changed' : ''}`
        : `${t.table}: rows changed (checksum differs, ${t.now} rows)`,
  );
  const docs = c.documents.map((d) => `document ${d}`);
  return [...tables, ...docs];
}

/** What the record and the notice carry: the counts, short. */
export function changeCounts(c: SiteChanges) {
  return {
    tables: Object.fromEntries(c.tables.map((t) => [t.table, { added: t.added, changed: t.changed }])),
    rowsAdded: c.tables.reduce((n, t) => n + Math.max(0, t.added), 0),
    tablesChanged: c.tables.length,
    documents: c.documents.length,
    documentFiles: c.documents.slice(0, 50),
  };
}
