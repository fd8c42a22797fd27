import { join, resolve } from 'node:path';
import { inputError } from '../core/errors.js';
import { Secret } from '../core/secret.js';

export interface S3EvidenceLocation {
  bucket: string;
  /** Without leading or trailing slash; '' puts keys at the bucket's root. */
  prefix: string;
  endpoint?: string;
  region: string;
}

export type EvidenceLocation = { kind: 'dir'; dir: string } | ({ kind: 's3' } & S3EvidenceLocation);

const fix =
  'write s3://BUCKET/PREFIX[?endpoint=http://HOST:PORT&region=REGION] or a directory; credentials go by AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or an AWS profile';

/**
 * Where evidence files live (`--evidence`, MOKODEPLOY_EVIDENCE): `s3://bucket/prefix?endpoint=…&region=…` for a
 * bucket, a path for a directory, nothing for `<home>/evidence` (as always). A URL carrying credentials is
 * refused (they would sit in argv, shell history and logs) and they are registered for redaction.
 */
export function parseEvidenceLocation(
  text: string | undefined,
  opts: { home: string; where: string; env?: NodeJS.ProcessEnv },
): EvidenceLocation {
  if (text === undefined || text === '') return { kind: 'dir', dir: join(opts.home, 'evidence') };
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return { kind: 'dir', dir: resolve(text) };
  if (!/^s3:\/\//i.test(text))
    throw inputError(`evidence location "${text.split(':')[0]}://…" is neither s3:// nor a directory`, {
      where: opts.where,
      fix,
    });
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw inputError('not an s3:// URL', { where: opts.where, fix });
  }
  if (u.username || u.password) {
    for (const part of [u.username, u.password].filter(Boolean)) {
      new Secret(part);
      new Secret(decodeURIComponent(part));
    }
    throw inputError('the evidence URL carries credentials: refused', { where: opts.where, fix });
  }
  const bucket = u.hostname;
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket))
    throw inputError(`"${bucket}" is not a bucket name (3-63 of a-z, 0-9, '.', '-')`, {
      where: opts.where,
      fix,
    });
  // the prefix as written: URL would resolve a/../b to b, hiding a mistake
  const path = text.slice('s3://'.length).split(/[?#]/)[0]!;
  const prefix = (path.includes('/') ? path.slice(path.indexOf('/') + 1) : '').replace(/^\/+|\/+$/g, '');
  if (
    prefix.split('/').some((p) => p === '.' || p === '..' || (p === '' && prefix !== '')) ||
    !/^[\w./-]*$/.test(prefix)
  )
    throw inputError(`"${prefix}" is not a key prefix (letters, digits, '_', '.', '-', '/' between parts)`, {
      where: opts.where,
      fix,
    });
  const unknown = [...u.searchParams.keys()].filter((k) => k !== 'endpoint' && k !== 'region');
  if (unknown.length)
    throw inputError(`unknown parameter(s) in the evidence URL: ${unknown.join(', ')}`, {
      where: opts.where,
      fix,
    });
  const endpoint = u.searchParams.get('endpoint') ?? undefined;
  if (endpoint !== undefined && !/^https?:\/\/[^/@\s]+\/?$/i.test(endpoint))
    throw inputError(`endpoint "${endpoint.slice(0, 80)}" is not http(s)://HOST[:PORT]`, {
      where: opts.where,
      fix,
    });
  const env = opts.env ?? process.env;
  const region = u.searchParams.get('region') ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  return { kind: 's3', bucket, prefix, endpoint: endpoint?.replace(/\/$/, ''), region };
}
