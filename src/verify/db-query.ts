import type { Plan } from '../core/plan.js';
import { Secret } from '../core/secret.js';
import type { Host } from '../hosts/host.js';
import { renderOptionFile } from '../escape/mycnf.js';

/**
 * SQL on the client's database, run by the mariadb client on the target (the database usually listens
 * on the server only), as the login user. The password goes in an option file read from stdin (through
 * `cat |`, because the client cannot open /dev/stdin when it is a socket, as in src/checks/db-client.ts),
 * never argv and never a file on disk: no temporary file whose owner could differ from the client's
 * (issue 25: a root-owned option file in the login user's temp dir was unreadable by a non-root client).
 * --defaults-file (not -extra-) so a ~/.my.cnf of the login user cannot override the password.
 */
export class DbClient {
  #name: string | undefined;

  constructor(
    private readonly host: Host,
    private readonly db: Plan['database'],
    private readonly password: () => Secret,
    /** Issue 19: the live database's name, read from the target once (an upgrade by copy changes it). */
    private readonly liveName?: () => Promise<string | undefined>,
  ) {}

  argv(sql: string): string[] {
    // connect the way Dolibarr does (conf.php host/port): the account's host part depends on it
    const where =
      this.db.host === 'localhost' && this.db.socket
        ? [`--socket=${this.db.socket}`]
        : [`--host=${this.db.host}`, `--port=${this.db.port}`, '--protocol=TCP'];
    const client = this.db.type === 'mysql' ? 'mysql' : 'mariadb';
    return [
      'sh',
      '-c',
      'cat | "$0" "$@"',
      client,
      '--defaults-file=/dev/stdin', // must come first
      ...where,
      `--user=${this.db.user}`,
      '--batch',
      '--skip-column-names',
      '--raw',
      this.#name ?? this.db.name,
      '-e',
      sql,
    ];
  }

  #options(): Secret {
    return new Secret(renderOptionFile('client', [['password', this.password().reveal()]]));
  }

  /** Rows as arrays of strings (tab-separated output; NULL as "NULL"). */
  /** The database queried: the live one read from the target when a reader was given, else the plan's. */
  async databaseName(): Promise<string> {
    if (this.liveName && this.#name === undefined) this.#name = (await this.liveName()) ?? this.db.name;
    return this.#name ?? this.db.name;
  }

  async query(sql: string): Promise<string[][]> {
    await this.databaseName();
    const r = await this.host.run({ argv: this.argv(sql), stdin: this.#options(), timeoutMs: 60_000 });
    if (r.code !== 0) throw new Error(`database query failed: ${r.stderr.trim() || `exit ${r.code}`}`);
    return r.stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.split('\t'));
  }

  async value(sql: string): Promise<string | undefined> {
    return (await this.query(sql))[0]?.[0];
  }

  /** Nothing is left on the target (kept for callers that dispose of a context). */
  async dispose(): Promise<void> {}
}
