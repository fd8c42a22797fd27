import { createHash, createHmac } from 'node:crypto';

/** One usable line of a known_hosts file (OpenSSH format; hashed names supported). */
export interface KnownHost {
  patterns: string[];
  keyType: string;
  key: Buffer;
  revoked: boolean;
}

export function parseKnownHosts(text: string): KnownHost[] {
  const entries: KnownHost[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    let marker: string | undefined;
    if (fields[0]!.startsWith('@')) marker = fields.shift();
    if (marker === '@cert-authority' || fields.length < 3) continue;
    const [hosts, keyType, key] = fields as [string, string, string];
    entries.push({
      patterns: hosts.split(','),
      keyType,
      key: Buffer.from(key, 'base64'),
      revoked: marker === '@revoked',
    });
  }
  return entries;
}

/** How known_hosts names a host: "host" on port 22, "[host]:port" otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function globMatch(pattern: string, name: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i').test(name);
}

function patternMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|');
    const mac = createHmac('sha1', Buffer.from(salt ?? '', 'base64'))
      .update(name)
      .digest('base64');
    return mac === hash;
  }
  return globMatch(pattern, name);
}

/** Entries for `name`, honouring negated patterns (!pattern). */
export function entriesFor(entries: readonly KnownHost[], name: string): KnownHost[] {
  return entries.filter((e) => {
    if (e.patterns.some((p) => p.startsWith('!') && patternMatches(p.slice(1), name))) return false;
    return e.patterns.some((p) => !p.startsWith('!') && patternMatches(p, name));
  });
}

export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** Key type written inside an SSH public key blob (uint32 length + name). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const len = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + len).toString('ascii');
}

/** Host key algorithms to offer for the types we know, so the server presents a key we can compare. */
export function hostKeyAlgorithms(entries: readonly KnownHost[]): string[] {
  const algos = new Set<string>();
  for (const e of entries) {
    if (e.revoked) continue;
    if (e.keyType === 'ssh-rsa') ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'].forEach((a) => algos.add(a));
    else algos.add(e.keyType);
  }
  return [...algos];
}

export type HostKeyVerdict =
  | { ok: true }
  | { ok: false; reason: 'unknown' | 'changed' | 'revoked'; presented: string; expected: string[] };

export function verifyHostKey(
  entries: readonly KnownHost[],
  name: string,
  presented: Buffer,
): HostKeyVerdict {
  const mine = entriesFor(entries, name);
  const fp = fingerprint(presented);
  if (mine.some((e) => e.revoked && e.key.equals(presented)))
    return { ok: false, reason: 'revoked', presented: fp, expected: [] };
  const valid = mine.filter((e) => !e.revoked);
  if (valid.some((e) => e.key.equals(presented))) return { ok: true };
  if (valid.length === 0) return { ok: false, reason: 'unknown', presented: fp, expected: [] };
  return {
    ok: false,
    reason: 'changed',
    presented: fp,
    expected: valid.map((e) => `${e.keyType} ${fingerprint(e.key)}`),
  };
}
