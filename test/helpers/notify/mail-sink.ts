import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { freePort } from '../services/process.js';

export interface Received {
  /** The envelope (RCPT TO): who the server was asked to deliver to. */
  rcptTo: string[];
  raw: string;
  mail: ParsedMail;
}

export interface MailSink {
  port: number;
  received: Received[];
  logins: string[];
  stop(): Promise<void>;
}

/**
 * A real SMTP server (smtp-server) on 127.0.0.1 that keeps each message with its envelope, for the outbox
 * tests. `tls`: implicit TLS with this certificate; `auth`: the one user and password it accepts.
 */
export async function startMailSink(
  opts: { tls?: { key: string; cert: string }; starttls?: boolean; auth?: { user: string; pass: string }; port?: number } = {},
): Promise<MailSink> {
  const port = opts.port ?? (await freePort());
  const received: Received[] = [];
  const logins: string[] = [];
  const server = new SMTPServer({
    secure: Boolean(opts.tls) && !opts.starttls,
    ...(opts.tls ? { key: readFileSync(opts.tls.key), cert: readFileSync(opts.tls.cert) } : {}),
    authOptional: !opts.auth,
    allowInsecureAuth: false,
    disabledCommands: opts.tls ? [] : ['STARTTLS', 'AUTH'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.pass) {
        logins.push(auth.username!);
        return callback(null, { user: auth.username });
      }
      return callback(new Error('535 authentication failed'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (b: Buffer) => chunks.push(b));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString();
        void simpleParser(raw).then((mail) => {
          received.push({ rcptTo: session.envelope.rcptTo.map((r) => r.address), raw, mail });
          callback();
        });
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  // a client that refuses the certificate closes the socket mid-handshake: expected in the TLS tests
  server.on('error', () => undefined);
  return { port, received, logins, stop: () => new Promise<void>((r) => server.close(() => r())) };
}

export interface HookSink {
  url: string;
  posts: { contentType: string; body: unknown }[];
  stop(): Promise<void>;
}

/** A loopback HTTP server that answers an incoming-webhook POST like Slack ("ok"). */
export async function startHookSink(): Promise<HookSink> {
  const posts: HookSink['posts'] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      posts.push({ contentType: req.headers['content-type'] ?? '', body: JSON.parse(body) });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${port}/hooks/T000/B000`, posts, stop: () => new Promise<void>((r) => server.close(() => r())) };
}
