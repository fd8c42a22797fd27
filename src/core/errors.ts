/**
 * The handful of error kinds the tool knows (STYLE.md 7). Expected failures carry
 * what went wrong, where, and how to fix it; the CLI prints one line and exits non-zero.
 * Anything else reaching the top-level handler is labelled as a bug.
 */
export type ErrorKind =
  | 'input' // malformed file, unknown field, wrong type — exit 2
  | 'not-found' // unknown deployment, item, person — exit 3
  | 'refused' // a gate, role or separation-of-duties refusal — exit 4
  | 'conflict' // someone else changed the record first, a lock is held — exit 5
  | 'target'; // the target host failed (unreachable, command failed) — exit 6

const exitCodes: Record<ErrorKind, number> = {
  input: 2,
  'not-found': 3,
  refused: 4,
  conflict: 5,
  target: 6,
};

export class MokoError extends Error {
  readonly kind: ErrorKind;
  readonly where?: string;
  readonly fix?: string;
  readonly details: string[];
  /** An identity, role or separation-of-duties refusal: recorded in the audit trail. */
  readonly security: boolean;

  constructor(
    kind: ErrorKind,
    message: string,
    opts: { where?: string; fix?: string; details?: string[]; security?: boolean } = {},
  ) {
    super(message);
    this.name = 'MokoError';
    this.kind = kind;
    this.where = opts.where;
    this.fix = opts.fix;
    this.details = opts.details ?? [];
    this.security = opts.security ?? false;
  }

  get exitCode(): number {
    return exitCodes[this.kind];
  }

  /** One line (plus detail lines) a person can act on. */
  describe(): string {
    const head = this.where ? `${this.where}: ${this.message}` : this.message;
    const lines = [head, ...this.details.map((d) => `  ${d}`)];
    if (this.fix) lines.push(`  fix: ${this.fix}`);
    return lines.join('\n');
  }
}

export const inputError = (message: string, opts?: { where?: string; fix?: string; details?: string[] }) =>
  new MokoError('input', message, opts);
export const notFound = (message: string, opts?: { where?: string; fix?: string; security?: boolean }) =>
  new MokoError('not-found', message, opts);
export const refused = (
  message: string,
  opts?: { where?: string; fix?: string; details?: string[]; security?: boolean },
) => new MokoError('refused', message, opts);
export const conflict = (message: string, opts?: { where?: string; fix?: string }) =>
  new MokoError('conflict', message, opts);
export const targetError = (message: string, opts?: { where?: string; fix?: string; details?: string[] }) =>
  new MokoError('target', message, opts);

/** A value or an error, for edges that must not throw. */
export type Result<T, E = MokoError> = { ok: true; value: T } | { ok: false; error: E };
export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });
