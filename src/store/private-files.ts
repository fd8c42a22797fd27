import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';

/**
 * The store holds who approved what, evidence and journals: only its owner reads it. Directories 0700, files
 * 0600, also when they already existed with wider modes (a store made by an older version).
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** Create the file empty (0600) when missing, or narrow an existing one to 0600. */
export function ensurePrivateFile(path: string): void {
  if (existsSync(path)) chmodSync(path, 0o600);
  else closeSync(openSync(path, 'a', 0o600));
}

/** Narrow a file to 0600 if it exists (SQLite's -wal and -shm come and go). */
export function narrowIfPresent(path: string): void {
  if (existsSync(path)) chmodSync(path, 0o600);
}
