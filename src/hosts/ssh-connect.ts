import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Client, type ConnectConfig } from 'ssh2';
import { targetError, type MokoError } from '../core/errors.js';
import { redact } from '../core/secret.js';
import {
  hostKeyAlgorithms,
  knownHostsName,
  parseKnownHosts,
  verifyHostKey,
  type KnownHost,
} from './known-hosts.js';

export interface SshTarget {
  host: string;
  port: number;
  user: string;
  identityFile?: string;
  knownHostsFile?: string;
  connectTimeoutMs?: number;
}

export const sshTargetName = (t: SshTarget) => `${t.user}@${t.host}:${t.port}`;

function readKnownHosts(path: string, where: string): KnownHost[] {
  try {
    return parseKnownHosts(readFileSync(path, 'utf8'));
  } catch (e) {
    throw targetError(`cannot read known_hosts file ${path}: ${(e as Error).message}`, {
      where,
      fix: 'set target.knownHostsFile to a file holding the server key (ssh-keyscan, then check its fingerprint)',
    });
  }
}

function authConfig(t: SshTarget, where: string): Pick<ConnectConfig, 'privateKey' | 'agent'> {
  const agent = process.env.SSH_AUTH_SOCK || undefined;
  const candidates = t.identityFile
    ? [t.identityFile]
    : agent
      ? []
      : ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((f) => join(homedir(), '.ssh', f));
  for (const path of candidates) {
    try {
      return { privateKey: readFileSync(path), agent };
    } catch (e) {
      if (t.identityFile)
        throw targetError(`cannot read identity file ${path}: ${(e as Error).message}`, { where });
    }
  }
  if (!agent)
    throw targetError('no SSH key: no identityFile, no ~/.ssh/id_* and no ssh-agent (SSH_AUTH_SOCK)', {
      where,
      fix: 'set target.identityFile or start ssh-agent',
    });
  return { agent };
}

function describeConnectError(
  e: Error & { code?: string; level?: string },
  t: SshTarget,
  timeoutMs: number,
): string {
  if (e.level === 'client-authentication')
    return `authentication refused for ${t.user} (key ${t.identityFile ?? 'from ssh-agent/~/.ssh'})`;
  if (e.code === 'ECONNREFUSED') return `connection refused on port ${t.port}`;
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return `cannot resolve host name ${t.host}`;
  if (e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH') return 'host unreachable';
  if (/handshake|timed out/i.test(e.message) || e.code === 'ETIMEDOUT')
    return `no SSH answer within ${timeoutMs / 1000} s`;
  return e.message;
}

/** Open an SSH connection; an unknown, changed or revoked host key is refused before authenticating. */
export function connectSsh(t: SshTarget): Promise<Client> {
  const where = sshTargetName(t);
  const knownHostsFile = t.knownHostsFile ?? join(homedir(), '.ssh', 'known_hosts');
  const entries = readKnownHosts(knownHostsFile, where);
  const name = knownHostsName(t.host, t.port);
  const algorithms = hostKeyAlgorithms(entries.filter((e) => verifyHostKey([e], name, e.key).ok));
  const timeoutMs = t.connectTimeoutMs ?? 10_000;
  let refusal: MokoError | undefined;
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.once('ready', () => resolve(client));
    // `on`, not `once`: a later error (keepalive timeout, reset) must not crash the process;
    // after 'ready' the rejection is a no-op and the 'close' that follows drops the connection
    client.on('error', (e: Error & { code?: string; level?: string }) => {
      client.end();
      reject(
        refusal ??
          targetError(redact(`cannot connect to ${where}: ${describeConnectError(e, t, timeoutMs)}`), {
            where,
          }),
      );
    });
    try {
      connectClient();
    } catch (e) {
      // e.g. an encrypted key without a passphrase: ssh2 throws synchronously
      reject(
        targetError(redact(`cannot connect to ${where}: ${(e as Error).message}`), {
          where,
          fix: 'use ssh-agent for an encrypted key',
        }),
      );
    }
    function connectClient(): void {
      client.connect({
        host: t.host,
        port: t.port,
        username: t.user,
        ...authConfig(t, where),
        readyTimeout: timeoutMs,
        keepaliveInterval: 10_000,
        keepaliveCountMax: 3,
        algorithms: algorithms.length > 0 ? { serverHostKey: algorithms as never } : undefined,
        hostVerifier: (key: Buffer) => {
          const verdict = verifyHostKey(entries, name, key);
          if (verdict.ok) return true;
          refusal = hostKeyRefusal(verdict, where, name, knownHostsFile, t);
          return false;
        },
      });
    }
  });
}

function hostKeyRefusal(
  v: Exclude<ReturnType<typeof verifyHostKey>, { ok: true }>,
  where: string,
  name: string,
  file: string,
  t: Pick<SshTarget, 'host' | 'port'>,
): MokoError {
  if (v.reason === 'unknown') {
    return targetError(
      `refusing ${where}: unknown host key ${v.presented} (no entry for ${name} in ${file})`,
      {
        where,
        fix: `verify the fingerprint with the server's administrator, then add it: ssh-keyscan -p ${t.port} ${t.host} >> ${file}`,
      },
    );
  }
  if (v.reason === 'revoked')
    return targetError(`refusing ${where}: host key ${v.presented} is marked @revoked in ${file}`, { where });
  return targetError(
    `refusing ${where}: HOST KEY CHANGED — presented ${v.presented}, ${file} expects ${v.expected.join(', ')}`,
    {
      where,
      details: ['this may be a man-in-the-middle attack, or the server was reinstalled'],
      fix: `confirm the new key out of band, then replace the entry for ${name} in ${file}`,
    },
  );
}
