import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Certificate } from './certificate.js';
import {
  freePort,
  makeTempDir,
  portOpen,
  removeDir,
  retryOnPortClash,
  startDaemon,
  waitFor,
} from './process.js';

export interface Dovecot {
  /** IMAP with STARTTLS (and plain before it). */
  imapPort: number;
  /** IMAP over implicit TLS. */
  imapsPort: number;
  user: string;
  password: string;
  dir: string;
  /** Put a message into a folder of the user's mailbox (Maildir), as delivery would; returns its Message-ID. */
  deliver(message: { from: string; subject: string; body?: string; folder?: string }): string;
  /** File names of the messages in a folder (new/ and cur/). */
  messages(folder?: string): string[];
  stop(): Promise<void>;
}

/**
 * A real Dovecot (Debian's dovecot-imapd) on 127.0.0.1, free ports, everything in a temp dir: its own config
 * (-c), a passwd-file with one user (PLAIN scheme), Maildir storage owned by the system user `mail` (Dovecot
 * refuses mail access as root), TLS with the given certificate (leaf + chain). Started like the MariaDB helper
 * (as the test runner's user, root here; Dovecot drops to dovecot/dovenull for its own processes).
 */
export function startDovecot(opts: {
  cert: Certificate;
  user?: string;
  password?: string;
}): Promise<Dovecot> {
  return retryOnPortClash(() => startOnce(opts));
}

async function startOnce(opts: { cert: Certificate; user?: string; password?: string }): Promise<Dovecot> {
  const dir = makeTempDir('dovecot');
  chmodSync(dir, 0o755);
  const user = opts.user ?? 'collector@acme.test';
  const password = opts.password ?? `imap-${randomBytes(6).toString('hex')}`;
  const [imapPort, imapsPort] = [await freePort(), await freePort()];
  const mailUid = Number(execFileSync('id', ['-u', 'mail']).toString().trim());
  const mailGid = Number(execFileSync('id', ['-g', 'mail']).toString().trim());
  const mailRoot = join(dir, 'mail');
  mkdirSync(mailRoot, { mode: 0o700 });
  chownSync(mailRoot, mailUid, mailGid);
  writeFileSync(
    join(dir, 'passwd'),
    `${user}:{PLAIN}${password}:${mailUid}:${mailGid}::${mailRoot}/${user}\n`,
    {
      mode: 0o644,
    },
  );
  const conf = join(dir, 'dovecot.conf');
  writeFileSync(
    conf,
    [
      `base_dir = ${dir}/run`,
      `state_dir = ${dir}/state`,
      `log_path = ${dir}/dovecot.log`,
      'protocols = imap',
      'listen = 127.0.0.1',
      `first_valid_uid = ${mailUid}`,
      `mail_location = maildir:${mailRoot}/%u`,
      'ssl = yes',
      `ssl_cert = <${opts.cert.fullchainPath}`,
      `ssl_key = <${opts.cert.keyPath}`,
      'auth_mechanisms = plain login',
      'disable_plaintext_auth = yes',
      `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ${dir}/passwd\n}`,
      `userdb {\n  driver = passwd-file\n  args = username_format=%u ${dir}/passwd\n}`,
      `service imap-login {\n  inet_listener imap {\n    port = ${imapPort}\n  }\n  inet_listener imaps {\n    port = ${imapsPort}\n    ssl = yes\n  }\n}`,
      'service anvil {\n  chroot =\n}',
      'service imap-login {\n  chroot =\n}',
      'namespace inbox {\n  inbox = yes\n}',
      '',
    ].join('\n'),
  );
  const daemon = startDaemon(['/usr/sbin/dovecot', '-F', '-c', conf]);
  const stop = async () => {
    await daemon.stop(10_000);
    removeDir(dir);
  };
  try {
    await waitFor(
      `dovecot on ${imapPort}/${imapsPort}`,
      async () => {
        if (daemon.exited()) throw new Error(`dovecot exited: ${daemon.output()}`);
        return (await portOpen(imapPort)) && (await portOpen(imapsPort));
      },
      30_000,
      daemon.output,
    );
  } catch (e) {
    await stop();
    throw e;
  }
  const folderDir = (folder = 'INBOX') => join(mailRoot, user, folder === 'INBOX' ? '' : `.${folder}`);
  const deliver: Dovecot['deliver'] = (m) => {
    const id = `${randomBytes(8).toString('hex')}@mokodeploy.test`;
    const box = folderDir(m.folder);
    for (const sub of ['new', 'cur', 'tmp']) {
      mkdirSync(join(box, sub), { recursive: true });
    }
    const text = [
      `From: ${m.from}`,
      `To: ${user}`,
      `Subject: ${m.subject}`,
      `Message-ID: <${id}>`,
      `Date: ${new Date().toUTCString()}`,
      'Content-Type: text/plain; charset=UTF-8',
      '',
      m.body ?? 'A test message for the email collector.',
      '',
    ].join('\r\n');
    const file = join(box, 'new', `${Date.now()}.${randomBytes(4).toString('hex')}.mokotest`);
    writeFileSync(file, text);
    execFileSync('chown', ['-R', `${mailUid}:${mailGid}`, join(mailRoot, user)]);
    return id;
  };
  const messages: Dovecot['messages'] = (folder) =>
    ['new', 'cur'].flatMap((sub) => {
      try {
        return readdirSync(join(folderDir(folder), sub));
      } catch {
        return [];
      }
    });
  return { imapPort, imapsPort, user, password, dir, deliver, messages, stop };
}
