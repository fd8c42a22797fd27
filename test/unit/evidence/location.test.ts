import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MokoError } from '../../../src/core/errors.js';
import { redact } from '../../../src/core/secret.js';
import { parseEvidenceLocation } from '../../../src/evidence/location.js';
import { putObjectInput } from '../../../src/evidence/s3.js';

/** Issue 20: where evidence files live (`--evidence-store`, MOKODEPLOY_EVIDENCE), checked at the edge. */
const parse = (text?: string, env: NodeJS.ProcessEnv = {}) =>
  parseEvidenceLocation(text, { home: '/srv/moko', where: '--evidence-store', env });

function refusal(text: string): MokoError {
  try {
    parse(text);
  } catch (e) {
    expect(e).toBeInstanceOf(MokoError);
    return e as MokoError;
  }
  throw new Error(`accepted: ${text}`);
}

describe('evidence location', () => {
  it('is <home>/evidence by default, as always; a path is a directory', () => {
    expect(parse()).toEqual({ kind: 'dir', dir: join('/srv/moko', 'evidence') });
    expect(parse('')).toEqual({ kind: 'dir', dir: join('/srv/moko', 'evidence') });
    expect(parse('shared/evidence')).toEqual({ kind: 'dir', dir: resolve('shared/evidence') });
  });

  it('reads bucket, prefix, endpoint and region from s3://', () => {
    expect(parse('s3://moko-evidence/team/acme/?endpoint=http://127.0.0.1:9000&region=eu-west-3')).toEqual({
      kind: 's3',
      bucket: 'moko-evidence',
      prefix: 'team/acme',
      endpoint: 'http://127.0.0.1:9000',
      region: 'eu-west-3',
    });
    // AWS itself: no endpoint, the region from AWS's own variable
    expect(parse('s3://moko-evidence', { AWS_REGION: 'eu-central-1' })).toEqual({
      kind: 's3',
      bucket: 'moko-evidence',
      prefix: '',
      endpoint: undefined,
      region: 'eu-central-1',
    });
  });

  it('refuses credentials in the URL without repeating them, and registers them for redaction', () => {
    const e = refusal('s3://AKIAEXAMPLEKEY:wJalrXUtnFEMIsecretKEY@moko-evidence/p');
    expect(e.kind).toBe('input');
    expect(e.where).toBe('--evidence-store');
    expect(e.describe()).not.toContain('wJalrXUtnFEMIsecretKEY');
    expect(e.describe()).not.toContain('AKIAEXAMPLEKEY');
    expect(e.describe()).toContain('AWS_ACCESS_KEY_ID');
    expect(redact('key wJalrXUtnFEMIsecretKEY')).toBe('key [redacted]');
  });

  it('refuses other schemes, bad bucket names and prefixes, unknown parameters and odd endpoints, saying how to write it', () => {
    for (const [text, says] of [
      ['gs://bucket/p', 'neither s3:// nor a directory'],
      ['s3://Bad_Bucket/p', 'is not a bucket name'],
      ['s3://bucket/a/../b', 'is not a key prefix'],
      ['s3://bucket/a//b', 'is not a key prefix'],
      ['s3://bucket/p?secretAccessKey=x', 'unknown parameter(s) in the evidence URL: secretAccessKey'],
      ['s3://bucket/p?endpoint=ftp://host', 'is not http(s)://HOST[:PORT]'],
      ['s3://bucket/p?endpoint=http://user:pw@host', 'is not http(s)://HOST[:PORT]'],
    ]) {
      const e = refusal(text!);
      expect(e.kind, text).toBe('input');
      expect(e.message, text).toContain(says);
      expect(e.fix, text).toMatch(/s3:\/\/BUCKET\/PREFIX/);
    }
  });
});

describe('the PUT of an evidence file, as data', () => {
  it('carries Content-MD5 and x-amz-checksum-sha256 of the bytes, under <prefix>/<sha256>', () => {
    const content = Buffer.from('client sign-off, scanned\n');
    const input = putObjectInput({ bucket: 'b', prefix: 'team', region: 'us-east-1' }, content);
    const sha256 = createHash('sha256').update(content).digest();
    expect(input).toMatchObject({
      Bucket: 'b',
      Key: `team/${sha256.toString('hex')}`,
      ContentLength: content.length,
      ContentMD5: createHash('md5').update(content).digest('base64'),
      ChecksumSHA256: sha256.toString('base64'),
    });
    expect(putObjectInput({ bucket: 'b', prefix: '', region: 'x' }, content).Key).toBe(
      sha256.toString('hex'),
    );
  });
});
