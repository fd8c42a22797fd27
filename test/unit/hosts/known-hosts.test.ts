import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  fingerprint,
  hostKeyAlgorithms,
  knownHostsName,
  parseKnownHosts,
  verifyHostKey,
} from '../../../src/hosts/known-hosts.js';

const keyA = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIHhBaW0AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'base64');
const keyB = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIHhCaW0AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'base64');
const line = (host: string, key: Buffer, marker = '') =>
  `${marker}${host} ssh-ed25519 ${key.toString('base64')} comment`;

describe('known_hosts', () => {
  it('names non-22 ports in brackets', () => {
    expect(knownHostsName('srv', 22)).toBe('srv');
    expect(knownHostsName('127.0.0.1', 2222)).toBe('[127.0.0.1]:2222');
  });

  it('accepts the recorded key and refuses a changed one, naming both fingerprints', () => {
    const entries = parseKnownHosts(`# comment\n${line('srv.example,10.0.0.5', keyA)}\n`);
    expect(verifyHostKey(entries, '10.0.0.5', keyA)).toEqual({ ok: true });
    expect(verifyHostKey(entries, 'srv.example', keyB)).toEqual({
      ok: false,
      reason: 'changed',
      presented: fingerprint(keyB),
      expected: [`ssh-ed25519 ${fingerprint(keyA)}`],
    });
  });

  it('refuses an unknown host and a revoked key', () => {
    const entries = parseKnownHosts(`${line('srv', keyA)}\n${line('*', keyB, '@revoked ')}\n`);
    expect(verifyHostKey(entries, 'other', keyA)).toMatchObject({ ok: false, reason: 'unknown' });
    expect(verifyHostKey(entries, 'srv', keyB)).toMatchObject({ ok: false, reason: 'revoked' });
  });

  it('matches hashed names, wildcards and negations', () => {
    const salt = Buffer.from('0123456789abcdefghij');
    const hash = createHmac('sha1', salt).update('[db.example]:2200').digest('base64');
    const entries = parseKnownHosts(
      `|1|${salt.toString('base64')}|${hash} ssh-ed25519 ${keyA.toString('base64')}\n${line('*.corp,!bad.corp', keyB)}`,
    );
    expect(verifyHostKey(entries, '[db.example]:2200', keyA).ok).toBe(true);
    expect(verifyHostKey(entries, 'web.corp', keyB).ok).toBe(true);
    expect(verifyHostKey(entries, 'bad.corp', keyB)).toMatchObject({ ok: false, reason: 'unknown' });
  });

  it('offers the host key algorithms it can compare', () => {
    const entries = parseKnownHosts(`srv ssh-rsa ${keyA.toString('base64')}\n${line('srv', keyB)}`);
    expect(hostKeyAlgorithms(entries)).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', 'ssh-ed25519']);
  });

  it('prints fingerprints as ssh-keygen does', () => {
    expect(fingerprint(keyA)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });
});
