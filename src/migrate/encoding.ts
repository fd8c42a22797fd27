import { closeSync, openSync, readSync } from 'node:fs';

export type SourceEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DetectedEncoding {
  encoding: SourceEncoding;
  bom: boolean;
  /** Why: shown in the report so the operator can overrule it with --encoding. */
  reason: string;
}

const sampleSize = 256 * 1024;

/** Read the start of a file and say how it is encoded (BOM, UTF-16 without BOM, UTF-8, else latin1). */
export function detectEncoding(path: string): DetectedEncoding {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(sampleSize);
    const n = readSync(fd, buf, 0, sampleSize, 0);
    return detectEncodingOf(buf.subarray(0, n), n === sampleSize);
  } finally {
    closeSync(fd);
  }
}

export function detectEncodingOf(buf: Buffer, truncated = false): DetectedEncoding {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { encoding: 'utf-8', bom: true, reason: 'UTF-8 byte order mark' };
  if (buf[0] === 0xff && buf[1] === 0xfe) return { encoding: 'utf-16le', bom: true, reason: 'UTF-16 little-endian byte order mark' };
  if (buf[0] === 0xfe && buf[1] === 0xff) return { encoding: 'utf-16be', bom: true, reason: 'UTF-16 big-endian byte order mark' };
  const zeros = countZeros(buf);
  if (zeros.even + zeros.odd > buf.length / 4) {
    const encoding = zeros.odd > zeros.even ? 'utf-16le' : 'utf-16be';
    return { encoding, bom: false, reason: `no byte order mark, but every other byte is zero (${encoding})` };
  }
  // A multi-byte sequence cut at the end of the sample is not an error.
  const sample = truncated ? trimPartialUtf8(buf) : buf;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample);
    return { encoding: 'utf-8', bom: false, reason: 'valid UTF-8' };
  } catch {
    const at = firstInvalidUtf8(sample);
    return { encoding: 'windows-1252', bom: false, reason: `not valid UTF-8 (byte 0x${sample[at]?.toString(16)} at offset ${at}): read as latin1 (windows-1252)` };
  }
}

function countZeros(buf: Buffer): { even: number; odd: number } {
  let even = 0;
  let odd = 0;
  const n = Math.min(buf.length, 4096);
  for (let i = 0; i < n; i++) {
    if (buf[i] !== 0) continue;
    if (i % 2 === 0) even++;
    else odd++;
  }
  return { even, odd };
}

function trimPartialUtf8(buf: Buffer): Buffer {
  const end = buf.length;
  for (let i = 1; i <= 3 && end - i >= 0; i++) {
    const b = buf[end - i]!;
    if ((b & 0xc0) === 0xc0) return buf.subarray(0, end - i); // a lead byte whose tail is missing
    if ((b & 0xc0) !== 0x80) break;
  }
  return buf;
}

function firstInvalidUtf8(buf: Buffer): number {
  let lo = 0;
  let hi = buf.length;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  while (hi - lo > 4) {
    const mid = (lo + hi) >> 1;
    try {
      decoder.decode(trimPartialUtf8(buf.subarray(0, mid)));
      lo = mid;
    } catch {
      hi = mid;
    }
  }
  for (let i = Math.max(0, lo - 4); i < hi; i++) if (buf[i]! >= 0x80) return i;
  return lo;
}
