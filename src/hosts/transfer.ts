import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, chmod } from 'node:fs/promises';
import { basename, dirname, posix } from 'node:path';
import { Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command, Host, TransferOptions, TransferResult } from './host.js';
import { targetError } from '../core/errors.js';

/**
 * What differs between hosts when bytes move: SFTP over the SSH connection (transfer-ssh.ts) or the
 * file system of this machine (transfer-local.ts). Paths are the target's; everything runs as the login user.
 */
export interface TransferPort {
  /** The login user's home directory: where a root-owned destination is staged. */
  home(): Promise<string>;
  /** Size of a file the login user can see, undefined when it is not there. */
  sizeOf(path: string): Promise<number | undefined>;
  /** A stream writing `path` from byte `offset` (0: created or truncated, mode 0600). */
  writeStream(path: string, offset: number): Promise<Writable>;
  /** A stream of the file's bytes: directly when readable, through `sudo -n cat` when `sudo`. */
  readStream(path: string, sudo: boolean): Promise<Readable>;
}

const mib = 1024 * 1024;

/** sha256 of a local file, streamed. */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/** The staging file of an upload: a name fixed by the content, so a rerun finds an interrupted copy. */
export async function stagingPath(port: TransferPort, target: string, sha256: string, sudo: boolean) {
  const name = `.${basename(target)}.${sha256.slice(0, 16)}.part`;
  return sudo
    ? posix.join(await port.home(), '.mokodeploy-uploads', name)
    : posix.join(dirname(target), name);
}

function counter(
  start: number,
  total: number,
  options: TransferOptions,
  hash?: ReturnType<typeof createHash>,
) {
  let bytes = start;
  let reported = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (options.signal?.aborted) return done(new Error('transfer aborted'));
      bytes += chunk.length;
      hash?.update(chunk);
      if (options.onProgress && (bytes - reported >= mib || bytes === total)) {
        reported = bytes;
        options.onProgress({ bytes, total });
      }
      done(null, chunk);
    },
  });
}

async function remoteSha256(host: Host, path: string, sudo: boolean): Promise<string> {
  const r = await host.run({ argv: ['sha256sum', '--', path], sudo, timeoutMs: 30 * 60_000 });
  const sum = /^([0-9a-f]{64})\s/.exec(r.stdout)?.[1];
  if (r.code !== 0 || !sum)
    throw targetError(`cannot hash ${path} on ${host.name}: ${r.stderr.trim() || `exit ${r.code}`}`, {
      where: host.name,
    });
  return sum;
}

async function runOrThrow(host: Host, command: Command, what: string): Promise<void> {
  const r = await host.run(command);
  if (r.code !== 0)
    throw targetError(`${what} on ${host.name}: ${r.stderr.trim() || `exit ${r.code}`}`, {
      where: host.name,
    });
}

/** chmod, chown (when $3 is set), then rename into place; positional parameters only (issue 12). */
const placeScript = 'chmod -- "$2" "$1" && { test -z "$3" || chown -- "$3" "$1"; } && mv -f -- "$1" "$4"';

/**
 * Upload: the file goes to a staging name fixed by its sha256 (beside the target, or in the login user's home
 * when the target is root's), continued from the bytes an interrupted run left there, checked by sha256 on
 * the target, then moved into place with its mode and owner. A staging file that does not hash right is removed.
 */
export async function uploadFile(
  host: Host,
  port: TransferPort,
  localPath: string,
  target: string,
  options: TransferOptions = {},
): Promise<TransferResult> {
  const started = Date.now();
  const sudo = options.sudo ?? false;
  const total = (await stat(localPath)).size;
  const sha256 = await sha256OfFile(localPath);
  const staged = await stagingPath(port, target, sha256, sudo);
  await runOrThrow(
    host,
    { argv: ['mkdir', '-p', '--', dirname(staged)] },
    `cannot create ${dirname(staged)}`,
  );
  if (sudo)
    await runOrThrow(
      host,
      { argv: ['mkdir', '-p', '--', dirname(target)], sudo },
      `cannot create ${dirname(target)}`,
    );
  const there = (await port.sizeOf(staged)) ?? 0;
  const resumedFrom = there <= total ? there : 0;
  if (resumedFrom < total || total === 0) {
    await pipeline(
      createReadStream(localPath, { start: resumedFrom }),
      counter(resumedFrom, total, options),
      await port.writeStream(staged, resumedFrom),
    ).catch((e: Error) => {
      throw targetError(`upload of ${localPath} to ${target} on ${host.name} interrupted: ${e.message}`, {
        where: host.name,
        fix: 'run again: the upload continues from the bytes already on the target',
      });
    });
  } else options.onProgress?.({ bytes: total, total });
  const landed = await remoteSha256(host, staged, false);
  if (landed !== sha256) {
    await host.run({ argv: ['rm', '-f', '--', staged] });
    throw targetError(
      `upload of ${localPath} to ${target} on ${host.name}: sha256 ${landed} on the target, ${sha256} here (the partial copy is removed; run again)`,
      { where: host.name },
    );
  }
  const owner = options.owner ?? (sudo ? 'root' : undefined);
  const group = options.group ?? (sudo && !options.owner ? 'root' : undefined);
  const chown = owner || group ? `${owner ?? ''}${group ? `:${group}` : ''}` : '';
  const mode = (options.mode ?? 0o600).toString(8).padStart(4, '0');
  await runOrThrow(
    host,
    { argv: ['sh', '-c', placeScript, 'place-upload', staged, mode, chown, target], sudo },
    `cannot move the upload into ${target}`,
  );
  return { bytes: total, sha256, resumedFrom, durationMs: Date.now() - started };
}

/**
 * Download: streamed into `<local>.part` (mode 0600) while hashed, then compared with the target's own
 * sha256sum of the file (and `expectedSha256` when given) before it is renamed into place.
 */
export async function downloadFile(
  host: Host,
  port: TransferPort,
  target: string,
  localPath: string,
  options: TransferOptions = {},
): Promise<TransferResult> {
  const started = Date.now();
  const sudo = options.sudo ?? false;
  const size = await host.run({ argv: ['stat', '-L', '-c', '%s', '--', target], sudo });
  if (size.code !== 0)
    throw targetError(`cannot download ${target} from ${host.name}: ${size.stderr.trim()}`, {
      where: host.name,
    });
  const total = Number(size.stdout.trim());
  const part = `${localPath}.part`;
  await mkdir(dirname(localPath), { recursive: true });
  const hash = createHash('sha256');
  try {
    await pipeline(
      await port.readStream(target, sudo),
      counter(0, total, options, hash),
      createWriteStream(part, { mode: 0o600 }),
    );
    const here = hash.digest('hex');
    const there = await remoteSha256(host, target, sudo);
    const expected = options.expectedSha256 ?? there;
    if (here !== there || here !== expected)
      throw targetError(
        `download of ${target} from ${host.name}: sha256 ${here} here, ${there} on the target${options.expectedSha256 ? `, ${expected} expected` : ''}`,
        { where: host.name },
      );
    await chmod(part, options.mode ?? 0o600);
    await rename(part, localPath);
    return {
      bytes: (await stat(localPath)).size,
      sha256: here,
      resumedFrom: 0,
      durationMs: Date.now() - started,
    };
  } finally {
    await rm(part, { force: true });
  }
}

/** The host's upload and download; a host without them (a test double) is a bug in the caller. */
export function transfersOf(host: Host): Required<Pick<Host, 'upload' | 'download'>> {
  if (!host.upload || !host.download) throw new Error(`bug: host ${host.name} cannot transfer files`);
  return { upload: host.upload.bind(host), download: host.download.bind(host) };
}
