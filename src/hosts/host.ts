import type { Secret } from '../core/secret.js';

/**
 * A command as data (STYLE.md 1): an argument vector, never a shell string built by hand.
 * Secrets travel only by `stdin` (or a 0600 file written with `writeFile`), never argv.
 */
export interface Command {
  argv: string[];
  /** Bytes or text fed to the process's stdin; a Secret is revealed only here. */
  stdin?: string | Buffer | Secret;
  /** Run through sudo (non-interactive: `sudo -n`); a password prompt is a failure, not a hang. */
  sudo?: boolean;
  /** Run as this user (sudo -u); implies sudo when not already that user. */
  asUser?: string;
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Stop collecting output past this many bytes (default 4 MiB). */
  maxOutputBytes?: number;
}

export interface RunResult {
  /** Exit code; null when killed by a signal or timed out. */
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  truncated: boolean;
  durationMs: number;
}

export interface FileWrite {
  path: string;
  content: string | Buffer | Secret;
  mode?: number;
  owner?: string;
  group?: string;
}

/** How a file moves between this machine and the target (src/hosts/transfer.ts). */
export interface TransferOptions {
  /** The target path is root's: staged as the login user, then moved (upload) or read (download) through `sudo -n`. */
  sudo?: boolean;
  /** Upload: the file's mode (default 0600), owner and group on the target (default root's when sudo). */
  mode?: number;
  owner?: string;
  group?: string;
  /** Download: refuse the file unless its sha256 is this one (e.g. from a manifest). */
  expectedSha256?: string;
  /** Bytes moved so far (counting a resumed upload's bytes already there) of the total. */
  onProgress?: (progress: { bytes: number; total: number }) => void;
  signal?: AbortSignal;
}

export interface TransferResult {
  /** Size of the file and its sha256, checked on both sides at the end. */
  bytes: number;
  sha256: string;
  /** Bytes an interrupted upload had already left on the target (0 for a fresh one or a download). */
  resumedFrom: number;
  durationMs: number;
}

/** Where commands run: this machine or a server over SSH. */
export interface Host {
  /** "local" or "user@host:port", for messages and locks. */
  readonly name: string;
  /** Open the connection now, throwing MokoError('target') when the host cannot be reached (optional). */
  connect?(): Promise<void>;
  run(command: Command): Promise<RunResult>;
  readFile(path: string): Promise<Buffer>;
  /** Written atomically (temp file + rename), mode set before content lands. */
  writeFile(file: FileWrite): Promise<void>;
  close(): Promise<void>;
  /** Copy a local file to the target, resuming an interrupted copy, checked by sha256 (optional). */
  upload?(localPath: string, targetPath: string, options?: TransferOptions): Promise<TransferResult>;
  /** Copy a target file (root's too, with `sudo`) to a local path, checked by sha256 (optional). */
  download?(targetPath: string, localPath: string, options?: TransferOptions): Promise<TransferResult>;
  /**
   * Tag every later command (and so every process it starts, which inherits the environment) with
   * `MOKODEPLOY_RUN=<runId>`, or stop tagging (undefined): after a kill -9 of the tool, the next run finds
   * what this run left running on the target (src/runner/orphans.ts). Optional; set by acquireLock.
   */
  markRun?(runId: string | undefined): void;
}

/** The environment variable that tags a run's processes on the target. */
export const runMarkerVariable = 'MOKODEPLOY_RUN';

/** The command with the run's marker in its environment (a value the command sets itself wins). */
export function withRunMarker(command: Command, runId: string | undefined): Command {
  return runId ? { ...command, env: { [runMarkerVariable]: runId, ...command.env } } : command;
}
