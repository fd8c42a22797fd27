import { readFileSync } from 'node:fs';
import { SMTPServer } from 'smtp-server';
import type { Certificate } from '../services/certificate.js';
import { freePort } from '../services/process.js';

export interface SmtpTls {
  port: number;
  /** Messages received: who logged in, the envelope, the raw text, and whether the session was encrypted. */
  messages: { user?: string; from: string; to: string[]; text: string; secure: boolean }[];
  /** Failed logins (user names). */
  refusedLogins: string[];
  stop(): Promise<void>;
}

/**
 * A real SMTP relay (smtp-server) on 127.0.0.1 that requires TLS and authentication, as a client's provider does:
 * STARTTLS on a plain port (mode 'starttls') or implicit TLS (mode 'tls'), AUTH LOGIN/PLAIN with one user, the
 * certificate given (its CA must be trusted by the client). Mail without login is refused.
 */
export async function startSmtpTls(o: {
  cert: Certificate;
  mode: 'starttls' | 'tls';
  user: string;
  password: string;
}): Promise<SmtpTls> {
  const port = await freePort();
  const messages: SmtpTls['messages'] = [];
  const refusedLogins: string[] = [];
  const server = new SMTPServer({
    secure: o.mode === 'tls',
    key: readFileSync(o.cert.keyPath),
    cert: readFileSync(o.cert.fullchainPath),
    authMethods: ['LOGIN', 'PLAIN'],
    banner: 'moko test relay',
    onAuth(auth, _session, callback) {
      if (auth.username === o.user && auth.password === o.password)
        return callback(null, { user: auth.username });
      refusedLogins.push(auth.username ?? '');
      return callback(new Error('Invalid username or password'));
    },
    onMailFrom(_address, session, callback) {
      if (!session.user) return callback(new Error('authentication required'));
      return callback();
    },
    onData(stream, session, callback) {
      let text = '';
      stream.on('data', (b: Buffer) => (text += b.toString()));
      stream.on('end', () => {
        messages.push({
          user: session.user as string | undefined,
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          text,
          secure: session.secure,
        });
        callback();
      });
    },
  });
  // a client that rejects our certificate ends its session with an error event: expected in tests, not a crash
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { port, messages, refusedLogins, stop: () => new Promise<void>((r) => server.close(() => r())) };
}
