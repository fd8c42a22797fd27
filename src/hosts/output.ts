/** Collects a stream's bytes up to a limit; past it, bytes are dropped and `truncated` is set. */
export class OutputCollector {
  readonly #chunks: Buffer[] = [];
  #size = 0;
  truncated = false;

  constructor(readonly limit: number) {}

  push(chunk: Buffer): void {
    const room = this.limit - this.#size;
    if (room <= 0) {
      if (chunk.length > 0) this.truncated = true;
      return;
    }
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (kept.length < chunk.length) this.truncated = true;
    this.#chunks.push(kept);
    this.#size += kept.length;
  }

  buffer(): Buffer {
    return Buffer.concat(this.#chunks);
  }

  text(): string {
    return this.buffer().toString('utf8');
  }
}

export const defaultMaxOutputBytes = 4 * 1024 * 1024;
export const defaultTimeoutMs = 10 * 60_000;
