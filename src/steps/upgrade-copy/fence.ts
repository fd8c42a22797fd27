import { bashCommand } from '../../backup/bash.js';
import { dbConnection } from '../../backup/connection.js';
import type { Command } from '../../hosts/host.js';
import type { Action, StepContext } from '../step.js';
import { fenceCountSql, fenceEndSql, fenceReleaseSql, fenceSql, type FenceTimes } from './fence-sql.js';
import { releaseStateDir } from './release-conf.js';

/**
 * Issue 19, the write fence as commands (SQL in fence-sql.ts). A Host runs a command to completion, so the fence
 * session lives in the background on the target: `setsid` (out of the command's session and process group: a
 * timeout or the end of an SSH channel does not take it), its output in a private 0700 directory under the
 * release state directory, the starting command returning once the session printed that it holds the lock (or
 * failed). It ends when a later step KILLs it (found by our account and its marker, fence-sql.ts), or by itself
 * after its lifetime; when its client process dies (kill -9 of mokodeploy's run and the orphans stopped by the next
 * run), MariaDB notices within 5 s (SLEEP() waits in slices and checks the connection) and the locks go.
 */

/** <root>/shared/release-state/fence: root's only (the sessions' output). */
export const fenceDir = (ctx: StepContext): string => `${releaseStateDir(ctx.plan.target.root)}/fence`;

export const fenceDefaults = { waitSeconds: 10, lifetimeSeconds: 900, releaseSeconds: 60 };

/** The lifetime can be shortened by a fact (tests: the fence of a killed run ending by itself). */
export function fenceTimes(ctx: StepContext): FenceTimes {
  const life = (ctx.facts as { fenceLifetimeSeconds?: unknown }).fenceLifetimeSeconds;
  return {
    waitSeconds: fenceDefaults.waitSeconds,
    lifetimeSeconds: typeof life === 'number' && life > 0 ? life : fenceDefaults.lifetimeSeconds,
  };
}

/**
 * $1 the private directory, $2 the session's SQL, $3 how many polls of 20 ms to wait for it, the rest the client's
 * argv. Prints `<connection id> <highest connection id>` once the lock is held.
 */
export const fenceStartScript = [
  'dir="$1"; sql="$2"; polls="$3"; shift 3',
  // builtins where it can: every fork is time inside the rollback's window on a loaded machine
  'umask 077',
  '[ -d "$dir" ] || { mkdir -p -- "$dir" && chmod 0700 -- "$dir"; }',
  'out="$dir/fence.$$"',
  ': >"$out"',
  'printf "%s\\n" "$sql" | setsid "$@" --batch --skip-column-names --unbuffered >"$out" 2>&1 &',
  'pid=$!',
  'i=0',
  'while [ "$i" -lt "$polls" ]; do',
  '  while IFS= read -r line; do',
  '    case "$line" in "fence-held "*) printf "%s\\n" "${line#fence-held }"; exit 0 ;; esac',
  '  done <"$out"',
  '  kill -0 "$pid" 2>/dev/null || break',
  '  sleep 0.02',
  '  i=$((i + 1))',
  'done',
  'kill "$pid" 2>/dev/null || true',
  'printf "the write fence was not taken: %s\\n" "$(tail -c 2000 "$out" | tr "\\n" " ")" >&2',
  'exit 1',
].join('\n');

/** $1 the schema (for the message), $2 the SQL, the rest the client's argv: fails unless a fence holds it. */
export const fenceHeldScript = [
  'schema="$1"; sql="$2"; shift 2',
  'n="$(printf "%s\\n" "$sql" | "$@" --batch --skip-column-names)"',
  '[ "$n" -gt 0 ] && exit 0',
  'printf "the write fence on %s is gone (its lifetime passed, or its session was killed): writes could have reached it since\\n" "$schema" >&2',
  'exit 1',
].join('\n');

/** $1 the private directory, $2 the SQL, the rest the client's argv: runs it, prints its answer, clears the outputs. */
export const fenceEndScript = [
  'dir="$1"; sql="$2"; shift 2',
  'printf "%s\\n" "$sql" | "$@" --batch --skip-column-names',
  'rm -f -- "$dir"/fence.*',
].join('\n');

export function fenceStartCommand(
  dir: string,
  schema: string,
  t: FenceTimes,
  client: readonly string[],
): Command {
  const polls = Math.ceil((t.waitSeconds + 20) * 50);
  return bashCommand(fenceStartScript, (t.waitSeconds + 60) * 1000, [
    dir,
    fenceSql(schema, t),
    String(polls),
    ...client,
  ]);
}

export function fenceHeldCommand(schema: string, client: readonly string[]): Command {
  return bashCommand(fenceHeldScript, 60_000, [schema, fenceCountSql(schema), ...client]);
}

export function fenceEndCommand(dir: string, schema: string, client: readonly string[]): Command {
  return bashCommand(fenceEndScript, 60_000, [dir, fenceEndSql(schema), ...client]);
}

export function fenceReleaseCommand(
  dir: string,
  schema: string,
  siteUser: string,
  client: readonly string[],
  releaseSeconds = fenceDefaults.releaseSeconds,
): Command {
  return bashCommand(fenceEndScript, (releaseSeconds + 60) * 1000, [
    dir,
    fenceReleaseSql(schema, siteUser, releaseSeconds),
    ...client,
  ]);
}

/** A command on the admin connection (dbConnection: root by socket, or the 0600 option file around it). */
export function withAdmin(
  ctx: StepContext,
  description: string,
  command: (client: string[]) => Command,
): Action[] {
  const conn = dbConnection(ctx);
  return [
    ...conn.before,
    { kind: 'run', description, command: command(conn.argv('mariadb')) },
    ...conn.after,
  ];
}
