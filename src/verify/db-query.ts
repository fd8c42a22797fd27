import type { Plan } from '../core/plan.js';
import { Secret } from '../core/secret.js';
import type { Host } from '../hosts/host.js';

/**
 * SQL on the client's database, run by the mariadb client on the target (the database usually listens
 * on the server only). The password goes in a 0600 option file in a private temporary directory on the
 * target (the client cannot read one from a pipe), never argv; dispose() removes it.
 */
export class DbClient {
  #optionFile?: Promise<string>;

  constructor(
    private readonly host: Host,
    private readonly db: Plan['database'],
    private readonly password: () => Secret,
  ) {}

  argv(optionFile: string, sql: string): string[] {
    // connect the way Dolibarr does (conf.php host/port): the account's host part depends on it
    const where =
      this.db.host === 'localhost' && this.db.socket
        ? [`--socket=${this.db.socket}`]
        : [`--host=${this.db.host}`, `--port=${this.db.port}`, '--protocol=TCP'];
    const client = this.db.type === 'mysql' ? 'mysql' : 'mariadb';
    return [
      client,
      `--defaults-extra-file=${optionFile}`,
      ...where,
      `--user=${this.db.user}`,
      '--batch',
      '--skip-column-names',
      '--raw',
      this.db.name,
      '-e',
      sql,
    ];
  }

  async #options(): Promise<string> {
    this.#optionFile ??= (async () => {
      const dir = await this.host.run({ argv: ['mktemp', '-d', '-t', 'mokodeploy-db.XXXXXX'] });
      if (dir.code !== 0)
        throw new Error(`cannot make a temporary directory on ${this.host.name}: ${dir.stderr.trim()}`);
      const path = `${dir.stdout.trim()}/client.cnf`;
      const quoted = this.password().reveal().replace(/["\\]/g, '\\$&');
      await this.host.writeFile({
        path,
        content: new Secret(`[client]\npassword="${quoted}"\n`),
        mode: 0o600,
      });
      return path;
    })();
    return this.#optionFile;
  }

  /** Rows as arrays of strings (tab-separated output; NULL as "NULL"). */
  async query(sql: string): Promise<string[][]> {
    const r = await this.host.run({ argv: this.argv(await this.#options(), sql), timeoutMs: 60_000 });
    if (r.code !== 0) throw new Error(`database query failed: ${r.stderr.trim() || `exit ${r.code}`}`);
    return r.stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.split('\t'));
  }

  async value(sql: string): Promise<string | undefined> {
    return (await this.query(sql))[0]?.[0];
  }

  async dispose(): Promise<void> {
    if (!this.#optionFile) return;
    const path = await this.#optionFile.catch(() => undefined);
    this.#optionFile = undefined;
    if (path) await this.host.run({ argv: ['rm', '-rf', '--', path.replace(/\/client\.cnf$/, '')] });
  }
}
