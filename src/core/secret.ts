import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';

/**
 * A secret that cannot leak by accident (STYLE.md 8): printing, logging, JSON-encoding
 * or string-concatenating it yields "[redacted]". Only `reveal()` gives the value, and
 * the value only ever goes to a file with mode 0600 or a process's stdin, never argv.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
    registerForRedaction(value);
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[redacted]';
  }

  toJSON(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return 'Secret([redacted])';
  }

  /** A password from the CSPRNG, alphanumeric so it survives every quoting context (SQL, PHP, shell). */
  static generate(length = 32): Secret {
    const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
    const out: string[] = [];
    while (out.length < length) {
      for (const byte of randomBytes(length * 2)) {
        // reject bytes that would bias the distribution
        if (byte < 256 - (256 % alphabet.length) && out.length < length)
          out.push(alphabet[byte % alphabet.length]!);
      }
    }
    return new Secret(out.join(''));
  }
}

const knownSecrets = new Set<string>();

/**
 * Forget every secret seen so far. Only for test files that share one process (vitest.config.ts, project `unit`):
 * one file's passwords ('secret', 'pw123') must not redact another file's expected text.
 */
export function forgetSecretsSeen(): void {
  knownSecrets.clear();
}

function registerForRedaction(value: string): void {
  if (value.length >= 6) knownSecrets.add(value);
}

/**
 * Replace every secret this process has seen by "[redacted]": the last line of defence for logs and errors. The
 * longest first: a secret that contains a shorter one (a key holding another secret's text) would otherwise be cut
 * around the shorter one and leak the rest.
 */
export function redact(text: string): string {
  let out = text;
  for (const value of [...knownSecrets].sort((a, b) => b.length - a.length)) {
    if (out.includes(value)) out = out.split(value).join('[redacted]');
  }
  return out;
}
