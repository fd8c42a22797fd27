import { spawn } from 'node:child_process';

/**
 * A client session of one account on one schema, held open as a Dolibarr request holds its connection from bootstrap
 * to its end: statements are sent one at a time (`send`), the client's output read as it comes (`waitFor`). Built from
 * the server's root client argv (test/helpers/services/mariadb.ts), over TCP as `user`, the password by environment.
 */
export interface ClientSession {
  send(sql: string): void;
  end(): void;
  output(): string;
  exited: Promise<number | null>;
  /** When the client exited (ms since the epoch), 0 while it runs. */
  exitedAt(): number;
  waitFor(re: RegExp, ms?: number): Promise<boolean>;
}

export function openClientSession(
  rootClientArgv: readonly string[],
  o: { user: string; password: string; port: number; schema: string },
): ClientSession {
  const [cmd, ...args] = rootClientArgv.filter((a) => !/^--user=|^-u|^--socket/.test(a));
  const child = spawn(
    cmd!,
    [...args, `--user=${o.user}`, '--host=127.0.0.1', `--port=${o.port}`, '--unbuffered', o.schema],
    { env: { ...process.env, MYSQL_PWD: o.password }, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let text = '';
  child.stdout.on('data', (b: Buffer) => (text += b.toString()));
  child.stderr.on('data', (b: Buffer) => (text += b.toString()));
  let exitedAt = 0;
  const exited = new Promise<number | null>((r) =>
    child.on('exit', (code) => {
      exitedAt = Date.now();
      r(code);
    }),
  );
  return {
    exitedAt: () => exitedAt,
    send: (sql: string) => child.stdin.write(`${sql}\n`),
    end: () => child.stdin.end(),
    output: () => text,
    exited,
    async waitFor(re: RegExp, ms = 10_000) {
      const until = Date.now() + ms;
      while (!re.test(text) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      return re.test(text);
    },
  };
}
