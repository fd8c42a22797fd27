const indexes = new WeakMap<readonly string[], Map<string, number>>();

/**
 * One source record as read, with the line it starts on (1-based, header = line 1). Fields stay
 * an array (one per column, in header order); the name -> value object is built only when a
 * reject needs it: building one per row of a million-row file was most of the garbage.
 */
export class SourceRow {
  constructor(
    readonly line: number,
    readonly fields: readonly string[],
    readonly header: readonly string[],
  ) {}

  /** The value of a column by its header name ('' when absent). */
  get(column: string): string {
    let index = indexes.get(this.header);
    if (!index) indexes.set(this.header, (index = new Map(this.header.map((h, i) => [h, i]))));
    const i = index.get(column);
    return i === undefined ? '' : (this.fields[i] ?? '');
  }

  /** Column name -> value, for reports and the rejects CSV. */
  get record(): Record<string, string> {
    const named: Record<string, string> = {};
    this.header.forEach((h, i) => (named[h] = this.fields[i] ?? ''));
    return named;
  }

  /** A row from a name -> value object (tests, fixed rejects). */
  static of(line: number, record: Record<string, string>): SourceRow {
    const header = Object.keys(record);
    return new SourceRow(line, header.map((h) => record[h]!), header);
  }
}
