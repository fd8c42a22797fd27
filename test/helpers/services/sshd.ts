import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  freePort,
  makeTempDir,
  portOpen,
  removeDir,
  startDaemon,
  waitFor,
  retryOnPortClash,
} from './process.js';
import type { Netns } from './netns.js';

export interface SshdOptions {
  /** sshd_config keywords overriding the defaults, e.g. { PasswordAuthentication: 'yes' }. */
  config?: Record<string, string>;
  /** Users allowed to log in with the generated client key (default: the current user, i.e. root). */
  users?: string[];
  port?: number;
  /** Run inside this network namespace, listening on its address (default: 127.0.0.1 here). */
  netns?: Netns;
}

export interface Sshd {
  port: number;
  dir: string;
  /** Private ed25519 key accepted for every user in `users`. */
  clientKeyPath: string;
  /** Where it listens: 127.0.0.1, or the namespace's address. */
  address: string;
  /** A known_hosts file holding this server's host key as [address]:port. */
  knownHostsPath: string;
  /** "SHA256:..." of the host key, as ssh-keygen -l prints it. */
  hostKeyFingerprint: string;
  hostKeyPublic: string;
  configPath: string;
  /** The listening sshd: its children's CPU time (/proc/<pid>/stat) is what the sessions cost. */
  pid: number;
  stop(): Promise<void>;
}

function keygen(path: string, comment: string): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path], {
    stdio: 'ignore',
  });
}

/** Start a real OpenSSH server on 127.0.0.1:<free port> (or in a namespace) with generated host and client keys. */
export function startSshd(options: SshdOptions = {}): Promise<Sshd> {
  return retryOnPortClash(() => startSshdOnce(options));
}

async function startSshdOnce(options: SshdOptions = {}): Promise<Sshd> {
  const dir = makeTempDir('sshd');
  chmodSync(dir, 0o755); // sshd reads authorized_keys as the logging-in user
  const address = options.netns?.address ?? '127.0.0.1';
  const port = options.port ?? (options.netns ? 2222 : await freePort());
  const hostKey = join(dir, 'host_ed25519');
  const clientKeyPath = join(dir, 'client_ed25519');
  keygen(hostKey, 'moko-test-host');
  keygen(clientKeyPath, 'moko-test-client');
  const authorizedKeys = join(dir, 'authorized_keys');
  writeFileSync(authorizedKeys, readFileSync(`${clientKeyPath}.pub`), { mode: 0o644 });
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const users = options.users ?? [process.env.USER ?? 'root'];
  const settings: Record<string, string> = {
    Port: String(port),
    ListenAddress: address,
    HostKey: hostKey,
    PidFile: join(dir, 'sshd.pid'),
    AuthorizedKeysFile: authorizedKeys,
    StrictModes: 'no',
    PermitRootLogin: 'prohibit-password',
    PasswordAuthentication: 'no',
    KbdInteractiveAuthentication: 'no',
    UsePAM: 'no',
    AllowUsers: users.join(' '),
    MaxStartups: '100:30:200',
    MaxSessions: '50',
    LogLevel: 'ERROR',
    Subsystem: 'sftp internal-sftp',
    ...options.config,
  };
  const configPath = join(dir, 'sshd_config');
  writeFileSync(
    configPath,
    Object.entries(settings)
      .map(([k, v]) => `${k} ${v}`)
      .join('\n') + '\n',
  );
  const hostKeyPublic = readFileSync(`${hostKey}.pub`, 'utf8').trim();
  const [type, blob] = hostKeyPublic.split(' ');
  const knownHostsPath = join(dir, 'known_hosts');
  writeFileSync(knownHostsPath, `[${address}]:${port} ${type} ${blob}\n`);
  const hostKeyFingerprint = execFileSync('ssh-keygen', ['-l', '-f', `${hostKey}.pub`])
    .toString()
    .split(' ')[1]!;
  const daemon = startDaemon([
    ...(options.netns?.exec ?? []),
    '/usr/sbin/sshd',
    '-D',
    '-e',
    '-f',
    configPath,
  ]);
  const stop = async () => {
    await daemon.stop();
    removeDir(dir);
  };
  try {
    await waitFor(
      `sshd on port ${port}`,
      async () => {
        if (daemon.exited()) throw new Error(`sshd exited: ${daemon.output()}`);
        return portOpen(port, address);
      },
      15_000,
      daemon.output,
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    port,
    dir,
    address,
    clientKeyPath,
    knownHostsPath,
    hostKeyFingerprint,
    hostKeyPublic,
    configPath,
    pid: daemon.child.pid!,
    stop,
  };
}

/** The plan's target fields that reach `sshd` as `user` with its client key and pinned host key, through sudo. */
export function sshTargetOf(sshd: Sshd, user: string) {
  return {
    host: sshd.address,
    port: sshd.port,
    user,
    identityFile: sshd.clientKeyPath,
    knownHostsFile: sshd.knownHostsPath,
    sudo: true,
  };
}
