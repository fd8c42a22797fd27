import { inputError, targetError, type MokoError } from '../core/errors.js';

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/** The object (or bucket key) is not there: a 404 of HEAD has no error body, so its status says so. */
export function isMissing(e: unknown): boolean {
  const err = e as SdkError;
  return (
    err.name === 'NoSuchKey' ||
    err.name === 'NotFound' ||
    (err.$metadata?.httpStatusCode === 404 && err.name !== 'NoSuchBucket')
  );
}

/**
 * An SDK failure said as what we were doing, where, and what to check. Only the error's name and message are kept
 * (never the request, which carries the signature); the access key is redacted by the top-level handlers too.
 */
export function bucketError(e: unknown, what: string, location: string): MokoError {
  const err = e as SdkError;
  const status = err.$metadata?.httpStatusCode;
  // a HEAD answered with an error has no body: the SDK names it Unknown, its status says more
  const name = !err.name || err.name === 'Unknown' ? (status ? `HTTP ${status}` : 'Error') : err.name;
  const why = `${name}${err.message && !/^Unknown/.test(err.message) && err.message !== err.name ? `: ${err.message}` : ''}`;
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(err.message ?? ''))
    return inputError(`${what}: no credentials for the evidence bucket`, {
      where: location,
      fix: 'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) in the environment; never in the URL',
    });
  if (
    ['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied', 'Forbidden'].includes(name) ||
    status === 403
  )
    return targetError(`${what}: the evidence bucket refused our credentials (${why})`, {
      where: location,
      fix: 'check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or the profile) and the bucket policy',
    });
  const fix =
    name === 'NoSuchBucket'
      ? 'create the bucket, or name an existing one in --evidence-store / MOKODEPLOY_EVIDENCE'
      : 'check that the S3 server runs and the endpoint and region in --evidence-store / MOKODEPLOY_EVIDENCE';
  return targetError(`${what}: the evidence bucket did not answer (${why})`, { where: location, fix });
}
