import { PassThrough, type Readable, type Writable } from 'node:stream';
import type { ClientChannel, SFTPWrapper } from 'ssh2';
import type { Command } from './host.js';
import type { TransferPort } from './transfer.js';

/** What SshHost lends a transfer: SFTP sessions and exec channels on its one connection. */
export interface SshChannels {
  readonly name: string;
  sftp(): Promise<SFTPWrapper>;
  execStream(command: Command): Promise<ClientChannel>;
}

const noSuchFile = 2; // SSH_FX_NO_SUCH_FILE

function call<T>(fn: (cb: (err: Error | undefined | null, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));
}

/** The SFTP session a stream used is ended with the stream, so it gives its channel back. */
function endWith<T extends Readable | Writable>(stream: T, sftp: SFTPWrapper, name: string): T {
  stream.once('close', () => sftp.end());
  stream.once('error', () => sftp.end());
  // a connection that drops mid-transfer closes the session without failing the stream: fail it
  sftp.once('close', () => {
    if (!stream.destroyed) stream.destroy(new Error(`SFTP session to ${name} closed mid-transfer`));
  });
  return stream;
}

/** Transfers over SSH: SFTP as the login user; a root-only file is read by `sudo -n cat` on an exec channel. */
export function sshTransferPort(ssh: SshChannels): TransferPort {
  return {
    async home() {
      const sftp = await ssh.sftp();
      try {
        return await call<string>((cb) => sftp.realpath('.', cb));
      } finally {
        sftp.end();
      }
    },
    async sizeOf(path) {
      const sftp = await ssh.sftp();
      try {
        return (await call<{ size: number }>((cb) => sftp.stat(path, cb))).size;
      } catch (e) {
        if ((e as { code?: number }).code === noSuchFile) return undefined;
        throw e;
      } finally {
        sftp.end();
      }
    },
    async writeStream(path, offset) {
      const sftp = await ssh.sftp();
      const flags = offset > 0 ? 'r+' : 'w';
      return endWith(sftp.createWriteStream(path, { flags, start: offset, mode: 0o600 }), sftp, ssh.name);
    },
    async readStream(path, sudo) {
      if (!sudo) {
        const sftp = await ssh.sftp();
        return endWith(sftp.createReadStream(path), sftp, ssh.name);
      }
      return catThroughSudo(ssh, path);
    },
  };
}

/**
 * `sudo -n cat -- PATH` streamed (backpressure by pipe); it ends when the output ended and the exit status is known.
 * The channel may close before its exit status arrives: then it is judged by stderr after a short wait. A short or
 * altered stream is caught anyway by the sha256 compared at the end of the download.
 */
async function catThroughSudo(ssh: SshChannels, path: string): Promise<Readable> {
  const channel = await ssh.execStream({ argv: ['cat', '--', path], sudo: true });
  const out = new PassThrough();
  let stderr = '';
  let code: number | null = null;
  let ended = false;
  let settled = false;
  const settle = () => {
    if (settled) return;
    settled = true;
    if (code === 0 || (code === null && stderr.trim() === '')) out.end();
    else out.destroy(new Error(`sudo -n cat ${path} on ${ssh.name}: ${stderr.trim() || `exit ${code}`}`));
  };
  channel.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8').slice(0, 2000)));
  channel.pipe(out, { end: false });
  channel.on('end', () => {
    ended = true;
    if (code !== null) settle();
  });
  channel.on('exit', (c: number | null) => {
    code = c ?? -1;
    if (ended) settle();
  });
  channel.on('close', () => {
    if (ended && code !== null) return settle();
    setTimeout(settle, 3_000);
  });
  channel.end();
  return out;
}
