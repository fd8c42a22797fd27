import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { SecretStore } from '../../src/store/secrets.js';
import { Secret, redact } from '../../src/core/secret.js';

describe('secrets', () => {
  it('redacts a secret that contains a shorter one whole, whatever order they were seen in', () => {
    new Secret('inner9');
    new Secret('AKIAouter-inner9-TAIL');
    expect(redact('key AKIAouter-inner9-TAIL and inner9')).toBe('key [redacted] and [redacted]');
  });

  it('redact themselves in strings, JSON and inspect', () => {
    const s = new Secret('hunter2-very-secret');
    expect(`${s}`).toBe('[redacted]');
    expect(JSON.stringify({ s })).toBe('{"s":"[redacted]"}');
    expect(inspect(s)).not.toContain('hunter2');
    expect(redact('password=hunter2-very-secret')).toBe('password=[redacted]');
  });

  it('are generated from the CSPRNG: right length, alphabet, all different', () => {
    const values = Array.from({ length: 200 }, () => Secret.generate(24).reveal());
    expect(new Set(values).size).toBe(200);
    for (const v of values) expect(v).toMatch(/^[A-Za-z2-9]{24}$/);
  });

  it('are stored encrypted (AES-256-GCM) with a 0600 key outside the store', () => {
    const dir = mkdtempSync(join(tmpdir(), 'moko-secrets-'));
    const keyFile = join(dir, 'config', 'secret.key');
    const store = new SecretStore(join(dir, 'home'), keyFile);
    store.set('acme/db', new Secret('Sup3r-Secret-Value'));
    const file = readFileSync(join(dir, 'home', 'secrets.json'), 'utf8');
    expect(file).not.toContain('Sup3r-Secret-Value');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'home', 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(store.get('acme/db').reveal()).toBe('Sup3r-Secret-Value');
    const generated = store.getOrGenerate('acme/admin');
    expect(store.getOrGenerate('acme/admin').reveal()).toBe(generated.reveal());
  });

  it('refuse an altered file or a wrong key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'moko-secrets-'));
    const store = new SecretStore(join(dir, 'home'), join(dir, 'k1'));
    store.set('acme/db', new Secret('value-one-123'));
    const other = new SecretStore(join(dir, 'home'), join(dir, 'k2'));
    writeFileSync(join(dir, 'k2'), Buffer.alloc(32, 7).toString('base64'));
    expect(() => other.get('acme/db')).toThrow(/cannot be decrypted/);
    expect(() => store.get('acme/nope')).toThrow(/no secret "acme\/nope"/);
  });
});
