import { SMTPServer } from 'smtp-server';
import { freePort } from './process.js';

export interface Smtp {
  port: number;
  /** Raw messages received, in order. */
  messages: string[];
  stop(): Promise<void>;
}

/** A real SMTP server (smtp-server) on 127.0.0.1:<free port>, accepting any mail without auth. */
export async function startSmtp(): Promise<Smtp> {
  const port = await freePort();
  const messages: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    banner: 'moko test smtp',
    onData(stream, _session, callback) {
      let text = '';
      stream.on('data', (b: Buffer) => (text += b.toString()));
      stream.on('end', () => {
        messages.push(text);
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { port, messages, stop: () => new Promise<void>((r) => server.close(() => r())) };
}
