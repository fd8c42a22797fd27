import { Secret } from '../core/secret.js';
import { DirEvidenceFiles } from './dir.js';
import type { EvidenceFiles } from './files.js';
import { parseEvidenceLocation } from './location.js';
import { S3EvidenceFiles } from './s3.js';

/**
 * Open the evidence location `text` names (see parseEvidenceLocation). Credentials for a bucket: the keys in `env`
 * when it has them (the app's environment), else AWS's standard chain; both keys are registered for redaction.
 */
export function openEvidenceFiles(
  text: string | undefined,
  opts: { home: string; where: string; env?: NodeJS.ProcessEnv },
): EvidenceFiles {
  const at = parseEvidenceLocation(text, opts);
  if (at.kind === 'dir') return new DirEvidenceFiles(at.dir);
  const env = opts.env ?? process.env;
  const id = env.AWS_ACCESS_KEY_ID;
  const secret = env.AWS_SECRET_ACCESS_KEY;
  if (id && secret) {
    new Secret(id);
    new Secret(secret);
    if (env.AWS_SESSION_TOKEN) new Secret(env.AWS_SESSION_TOKEN);
  }
  return new S3EvidenceFiles(
    at,
    id && secret
      ? { accessKeyId: id, secretAccessKey: secret, sessionToken: env.AWS_SESSION_TOKEN }
      : undefined,
  );
}
