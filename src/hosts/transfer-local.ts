import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { PassThrough, type Readable } from 'node:stream';
import type { TransferPort } from './transfer.js';

/** Transfers on this machine: plain file copies; a root-only file is read by `sudo -n cat` (not when root). */
export function localTransferPort(): TransferPort {
  return {
    home: async () => homedir(),
    async sizeOf(path) {
      try {
        return (await stat(path)).size;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
    },
    writeStream: async (path, offset) =>
      createWriteStream(path, { flags: offset > 0 ? 'r+' : 'w', start: offset, mode: 0o600 }),
    readStream: async (path, sudo) =>
      sudo && process.getuid?.() !== 0 ? catThroughSudo(path) : createReadStream(path),
  };
}

function catThroughSudo(path: string): Readable {
  const child = spawn('sudo', ['-n', '--', 'cat', '--', path], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out = new PassThrough();
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8').slice(0, 2000)));
  child.stdout.pipe(out, { end: false });
  child.once('error', (e) => out.destroy(e));
  child.once('close', (code) => {
    if (code === 0) out.end();
    else out.destroy(new Error(`sudo -n cat ${path}: ${stderr.trim() || `exit ${code}`}`));
  });
  return out;
}
