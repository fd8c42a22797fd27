/**
 * The second count of a file's records, independent of the splitter that reads them (records.ts):
 * one character at a time through a small state machine that knows only quotes, delimiters and
 * line breaks, and keeps no field. The reader compares its records with this count and the run
 * fails loudly when they differ: a row can no longer vanish between the file and the report
 * (issue 15). Same grammar as records.ts, recovery included; physical lines are counted apart,
 * one per \n (plus a last line without one).
 */
const enum S {
  LineStart,
  LineStartCr,
  FieldStart,
  Unquoted,
  Quoted,
  QuoteSeen,
  CrAfterQuote,
  Skip,
}

export class RecordCounter {
  /** Records after the header. */
  records = 0;
  /** Physical lines, header and empty lines included. */
  lines = 0;
  #state = S.LineStart;
  #fields = 0;
  #expected = -1;
  #error = false;
  #broke = false;
  #lastChar = LF;
  /** Recovery: the text from just after the record's first quoted line break, to read again. */
  #replay: string | undefined;
  readonly #d: number;
  readonly #recover: boolean;

  constructor(delimiter: string, recover: boolean) {
    this.#d = delimiter.charCodeAt(0);
    this.#recover = recover;
  }

  push(text: string): void {
    for (let n = text.indexOf('\n'); n >= 0; n = text.indexOf('\n', n + 1)) this.lines++;
    if (text.length > 0) this.#lastChar = text.charCodeAt(text.length - 1);
    this.#feed(text);
  }

  end(): void {
    if (this.#lastChar !== LF) this.lines++;
    this.#finish();
  }

  #feed(text: string): void {
    let rest: string | undefined = text;
    while (rest !== undefined) rest = this.#scan(rest);
  }

  /** The end of the text: the last record ends here (inside quotes: unclosed). */
  #finish(): void {
    const s = this.#state;
    if (s === S.LineStart) return;
    if (s === S.Quoted || s === S.CrAfterQuote) this.#error = true;
    const replay = this.#endRecord();
    if (replay === undefined) return;
    this.#feed(replay);
    this.#finish();
  }

  /** Scan a piece of text; returns text to scan again when recovery cut a record. */
  #scan(t: string): string | undefined {
    const d = this.#d;
    let captureFrom = this.#replay === undefined ? -1 : 0;
    for (let i = 0; i < t.length; i++) {
      const c = t.charCodeAt(i);
      switch (this.#state) {
        case S.LineStart:
          if (c === LF) continue;
          if (c === CR) {
            this.#state = S.LineStartCr;
            continue;
          }
          this.#fields = 1;
          this.#state = S.FieldStart;
          i--;
          continue;
        case S.LineStartCr:
          if (c === LF) {
            this.#state = S.LineStart;
            continue;
          }
          this.#fields = 1;
          this.#state = S.Unquoted;
          i--;
          continue;
        case S.FieldStart:
          if (c === QUOTE) this.#state = S.Quoted;
          else if (c === d) this.#fields++;
          else if (c === LF) break;
          else this.#state = S.Unquoted;
          continue;
        case S.Unquoted:
          if (c === d) {
            this.#fields++;
            this.#state = S.FieldStart;
          } else if (c === LF) break;
          else if (c === QUOTE) this.#fail();
          continue;
        case S.Quoted:
          if (c === QUOTE) this.#state = S.QuoteSeen;
          else if (c === LF && !this.#broke) {
            this.#broke = true;
            if (this.#recover) {
              this.#replay = '';
              captureFrom = i + 1;
            }
          }
          continue;
        case S.QuoteSeen:
          if (c === QUOTE) this.#state = S.Quoted;
          else if (c === d) {
            this.#fields++;
            this.#state = S.FieldStart;
          } else if (c === LF) break;
          else if (c === CR) this.#state = S.CrAfterQuote;
          else this.#fail();
          continue;
        case S.CrAfterQuote:
          if (c === LF) break;
          this.#fail();
          continue;
        case S.Skip:
          if (c === LF) break;
          continue;
      }
      // A line break that ends the record.
      const replay = this.#endRecord();
      if (replay !== undefined) return replay + t.slice(captureFrom);
      captureFrom = -1;
    }
    if (captureFrom >= 0 && this.#replay !== undefined) this.#replay += t.slice(captureFrom);
    return undefined;
  }

  #fail(): void {
    this.#error = true;
    this.#state = S.Skip;
  }

  /** Count the record that just ended; with recovery, the text to read again after its cut. */
  #endRecord(): string | undefined {
    const header = this.#expected < 0;
    if (header) this.#expected = this.#fields;
    else this.records++;
    const cut = this.#recover && this.#broke && !header && (this.#error || this.#fields !== this.#expected);
    const replay = cut ? this.#replay : undefined;
    this.#state = S.LineStart;
    this.#error = false;
    this.#broke = false;
    this.#replay = undefined;
    return replay;
  }
}

const QUOTE = 34;
const LF = 10;
const CR = 13;
