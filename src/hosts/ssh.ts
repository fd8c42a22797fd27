import { userInfo } from 'node:os';
import type { Client, ClientChannel, SFTPWrapper } from 'ssh2';
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
import { sshTransferPort } from './transfer-ssh.js';
import { effectiveArgv, stdinBytes } from './argv.js';
import { defaultMaxOutputBytes, defaultTimeoutMs, OutputCollector } from './output.js';
import { readFileCommand, writeFileCommand } from './file-ops.js';
import { combine, toShell } from './shell.js';
import { connectSsh, sshTargetName, type SshTarget } from './ssh-connect.js';
import { targetError } from '../core/errors.js';
import { redact } from '../core/secret.js';

export interface SshHostOptions extends Omit<SshTarget, 'user' | 'port'> {
  port?: number;
  user?: string;
  /** Use `sudo -n` for commands marked sudo when the login user is not root. */
  sudo?: boolean;
  /** Concurrent channels on the one connection (sshd MaxSessions defaults to 10). */
  maxChannels?: number;
}

interface RawResult extends RunResult {
  stdoutBytes: Buffer;
}

/** A server over SSH (ssh2): one connection, commands as single strings quoted by shell.ts from argv. */
export class SshHost implements Host {
  readonly name: string;
  readonly #target: SshTarget;
  #client: Promise<Client> | undefined;
  #active = 0;
  #runMarker: string | undefined;
  readonly #waiting: (() => void)[] = [];

  constructor(private readonly options: SshHostOptions) {
    this.#target = { ...options, port: options.port ?? 22, user: options.user ?? userInfo().username };
    this.name = sshTargetName(this.#target);
  }

  /** Connect now (otherwise the first command connects); throws MokoError('target'). */
  async connect(): Promise<void> {
    await this.#connection();
  }

  async run(command: Command): Promise<RunResult> {
    const { stdoutBytes: _, ...result } = await this.#exec(command);
    return result;
  }

  async readFile(path: string): Promise<Buffer> {
    const r = await this.#exec(readFileCommand(path, this.options.sudo ?? false));
    if (r.code !== 0)
      throw targetError(redact(`cannot read ${path} on ${this.name}: ${r.stderr.trim()}`), {
        where: this.name,
      });
    return r.stdoutBytes;
  }

  async writeFile(file: FileWrite): Promise<void> {
    const r = await this.#exec(writeFileCommand(file, this.options.sudo ?? false));
    if (r.code !== 0)
      throw targetError(redact(`cannot write ${file.path} on ${this.name}: ${r.stderr.trim()}`), {
        where: this.name,
      });
  }

  markRun(runId: string | undefined): void {
    this.#runMarker = runId;
  }

  upload(localPath: string, targetPath: string, options: TransferOptions = {}): Promise<TransferResult> {
    return uploadFile(this, sshTransferPort(this), localPath, targetPath, options);
  }

  download(targetPath: string, localPath: string, options: TransferOptions = {}): Promise<TransferResult> {
    return downloadFile(this, sshTransferPort(this), targetPath, localPath, options);
  }

  /** An SFTP session as the login user; it holds one of the connection's channels until it ends. */
  async sftp(): Promise<SFTPWrapper> {
    const client = await this.#connection();
    await this.#acquire();
    return new Promise((resolve, reject) => {
      client.sftp((error, sftp) => {
        if (error) {
          this.#release();
          return reject(
            targetError(`cannot open SFTP on ${this.name}: ${error.message}`, { where: this.name }),
          );
        }
        this.#holdUntilClosed(client, sftp);
        resolve(sftp);
      });
    });
  }

  /** A command whose output is streamed, not collected (a download); it holds a channel until it closes. */
  async execStream(unmarked: Command): Promise<ClientChannel> {
    const command = withRunMarker(unmarked, this.#runMarker);
    const client = await this.#connection();
    await this.#acquire();
    const line = toShell(effectiveArgv(command, this.#target.user, true));
    return new Promise((resolve, reject) => {
      client.exec(line, (error, stream) => {
        if (error) {
          this.#release();
          return reject(
            targetError(`cannot run ${line} on ${this.name}: ${error.message}`, { where: this.name }),
          );
        }
        this.#holdUntilClosed(client, stream);
        resolve(stream);
      });
    });
  }

  /**
   * The channel slot goes back when the session closes; a connection that drops does not close its SFTP
   * sessions or exec channels by itself, so they are told (`close`), and the transfer using them fails.
   */
  #holdUntilClosed(client: Client, session: SFTPWrapper | ClientChannel): void {
    let closed = false;
    const gone = () => {
      if (!closed) session.emit('close');
    };
    client.once('close', gone);
    session.once('close', () => {
      closed = true;
      client.off('close', gone);
      this.#release();
    });
  }

  async close(): Promise<void> {
    const pending = this.#client;
    this.#client = undefined;
    if (pending) (await pending.catch(() => undefined))?.end();
  }

  #connection(): Promise<Client> {
    if (!this.#client) {
      const attempt = connectSsh(this.#target);
      this.#client = attempt;
      attempt.then(
        (c) =>
          c.once('close', () => {
            if (this.#client === attempt) this.#client = undefined;
          }),
        () => {
          if (this.#client === attempt) this.#client = undefined;
        },
      );
    }
    return this.#client;
  }

  /** The remote command line: cd, then `timeout` so a hang is killed on the server too, then sudo/env/argv. */
  #commandLine(command: Command, timeoutMs: number): string {
    const argv = [
      'timeout',
      '-k',
      '2',
      `${Math.ceil(timeoutMs / 1000)}`,
      ...effectiveArgv(command, this.#target.user, true),
    ];
    return command.cwd ? combine(['cd', command.cwd], argv) : toShell(argv);
  }

  async #exec(unmarked: Command): Promise<RawResult> {
    const command = withRunMarker(unmarked, this.#runMarker);
    const client = await this.#connection();
    await this.#acquire();
    try {
      return await this.#execOn(client, command);
    } finally {
      this.#release();
    }
  }

  #execOn(client: Client, command: Command): Promise<RawResult> {
    const timeoutMs = command.timeoutMs ?? defaultTimeoutMs;
    const limit = command.maxOutputBytes ?? defaultMaxOutputBytes;
    const line = this.#commandLine(command, timeoutMs);
    const started = Date.now();
    return new Promise((resolve, reject) => {
      client.exec(line, (error, stream) => {
        if (error)
          return reject(
            targetError(redact(`cannot run ${line} on ${this.name}: ${error.message}`), { where: this.name }),
          );
        const out = new OutputCollector(limit);
        const err = new OutputCollector(limit);
        let code: number | null = null;
        let localTimeout = false;
        stream.on('data', (b: Buffer) => out.push(b));
        stream.stderr.on('data', (b: Buffer) => err.push(b));
        stream.on('exit', (c: number | null) => {
          code = c;
        });
        // the remote `timeout` normally ends it; this is for a dead connection
        const timer = setTimeout(() => {
          localTimeout = true;
          stream.close();
        }, timeoutMs + 5_000);
        stream.on('close', () => {
          clearTimeout(timer);
          const durationMs = Date.now() - started;
          const timedOut = localTimeout || ((code === 124 || code === 137) && durationMs >= timeoutMs - 50);
          const stdoutBytes = out.buffer();
          resolve({
            code: timedOut ? null : code,
            stdout: stdoutBytes.toString('utf8'),
            stderr: err.text(),
            stdoutBytes,
            timedOut,
            truncated: out.truncated || err.truncated,
            durationMs,
          });
        });
        stream.end(stdinBytes(command.stdin));
      });
    });
  }

  async #acquire(): Promise<void> {
    if (this.#active < (this.options.maxChannels ?? 8)) {
      this.#active++;
      return;
    }
    await new Promise<void>((r) => this.#waiting.push(r));
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#active--;
  }
}
