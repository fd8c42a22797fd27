import { spawn } from 'node:child_process';
import { userInfo } from 'node:os';
import {
  withRunMarker,
  type Command,
  type FileWrite,
  type Host,
  type RunResult,
  type TransferOptions,
  type TransferResult,
} from './host.js';
import { downloadFile, uploadFile } from './transfer.js';
import { localTransferPort } from './transfer-local.js';
import { effectiveArgv, stdinBytes } from './argv.js';
import { defaultMaxOutputBytes, defaultTimeoutMs, OutputCollector } from './output.js';
import { readFileCommand, writeFileCommand } from './file-ops.js';
import { redact } from '../core/secret.js';
import { targetError } from '../core/errors.js';
import { toShell } from './shell.js';

export interface LocalHostOptions {
  /** Use `sudo -n` for commands marked sudo when not root (plan target.sudo). */
  sudo?: boolean;
}

interface RawResult extends RunResult {
  stdoutBytes: Buffer;
}

/** This machine: processes spawned from argv (no shell), in their own process group. */
export class LocalHost implements Host {
  readonly name = 'local';
  readonly #user = userInfo().username;
  #runMarker: string | undefined;

  constructor(private readonly options: LocalHostOptions = {}) {}

  async run(command: Command): Promise<RunResult> {
    const { stdoutBytes: _, ...result } = await this.#spawn(command);
    return result;
  }

  async readFile(path: string): Promise<Buffer> {
    const result = await this.#spawn(readFileCommand(path, this.options.sudo ?? false));
    if (result.code !== 0) throw targetError(redact(`cannot read ${path} on local: ${result.stderr.trim()}`));
    return result.stdoutBytes;
  }

  async writeFile(file: FileWrite): Promise<void> {
    const result = await this.#spawn(writeFileCommand(file, this.options.sudo ?? false));
    if (result.code !== 0)
      throw targetError(redact(`cannot write ${file.path} on local: ${result.stderr.trim()}`));
  }

  async close(): Promise<void> {}

  upload(localPath: string, targetPath: string, options: TransferOptions = {}): Promise<TransferResult> {
    return uploadFile(this, localTransferPort(), localPath, targetPath, options);
  }

  download(targetPath: string, localPath: string, options: TransferOptions = {}): Promise<TransferResult> {
    return downloadFile(this, localTransferPort(), targetPath, localPath, options);
  }

  markRun(runId: string | undefined): void {
    this.#runMarker = runId;
  }

  #spawn(unmarked: Command): Promise<RawResult> {
    const command = withRunMarker(unmarked, this.#runMarker);
    const argv = effectiveArgv(command, this.#user, false);
    const limit = command.maxOutputBytes ?? defaultMaxOutputBytes;
    const timeoutMs = command.timeoutMs ?? defaultTimeoutMs;
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const child = spawn(argv[0]!, argv.slice(1), {
        cwd: command.cwd,
        env: command.env ? { ...process.env, ...command.env } : process.env,
        detached: true, // own process group: a timeout kills the command and its children
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const out = new OutputCollector(limit);
      const err = new OutputCollector(limit);
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.stdin.on('error', () => {}); // the command may exit without reading its stdin
      child.stdin.end(stdinBytes(command.stdin));
      let timedOut = false;
      const kill = (signal: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, signal);
        } catch {
          /* gone */
        }
      };
      const timer = setTimeout(() => {
        timedOut = true;
        kill('SIGTERM');
        setTimeout(() => kill('SIGKILL'), 2_000).unref();
      }, timeoutMs);
      child.once('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        // a missing program is an answer (exit 127 like a shell), not an exception
        if (e.code === 'ENOENT') {
          resolve({
            code: 127,
            stdout: '',
            stderr: `${argv[0]}: command not found`,
            stdoutBytes: Buffer.alloc(0),
            timedOut: false,
            truncated: false,
            durationMs: Date.now() - started,
          });
        } else reject(targetError(redact(`cannot run ${toShell(argv)} on local: ${e.message}`)));
      });
      child.once('close', (code) => {
        clearTimeout(timer);
        if (timedOut) kill('SIGKILL');
        const stdoutBytes = out.buffer();
        resolve({
          code: timedOut ? null : code,
          stdout: stdoutBytes.toString('utf8'),
          stderr: err.text(),
          stdoutBytes,
          timedOut,
          truncated: out.truncated || err.truncated,
          durationMs: Date.now() - started,
        });
      });
    });
  }
}
