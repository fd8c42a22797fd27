import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { freePort, makeTempDir, portOpen, removeDir, startDaemon, waitFor } from './process.js';

/**
 * s3rver (npm dev dependency) in its own process on 127.0.0.1:<free port>, objects in a temp directory.
 * Its own process, not this one: CLI tests run the binary with spawnSync, which would stop an in-process server.
 * The key pair is made up per start and given to the server by its environment (never argv); s3rver's built-in
 * S3RVER key is revoked, so a request signed with anything else than `env` is refused.
 */
export interface S3Server {
  endpoint: string;
  bucket: string;
  dir: string;
  /** What the SDK's standard credential chain reads: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY. */
  env: { AWS_ACCESS_KEY_ID: string; AWS_SECRET_ACCESS_KEY: string };
  /** The `--evidence` / MOKODEPLOY_EVIDENCE value for a prefix of this bucket. */
  url(prefix: string): string;
  /** Write an object directly (a tampered copy, as someone with write access to the bucket could). */
  putObject(key: string, body: Buffer | string): Promise<void>;
  deleteObject(key: string): Promise<void>;
  stop(): Promise<void>;
}

const serverScript = `
const S3rver = require('s3rver');
const account = require('s3rver/lib/models/account');
account.DUMMY_ACCOUNT.createKeyPair(process.env.S3_KEY_ID, process.env.S3_SECRET);
account.DUMMY_ACCOUNT.revokeAccessKey('S3RVER');
new S3rver({ port: Number(process.env.S3_PORT), address: '127.0.0.1', silent: true, directory: process.env.S3_DIR,
  configureBuckets: [{ name: process.env.S3_BUCKET }] }).run().then(() => console.log('ready'));
`;

export async function startS3(bucket = 'moko-evidence'): Promise<S3Server> {
  const dir = makeTempDir('s3');
  const port = await freePort();
  const env = {
    AWS_ACCESS_KEY_ID: `MOKOTEST${randomBytes(6).toString('hex').toUpperCase()}`,
    AWS_SECRET_ACCESS_KEY: randomBytes(24).toString('base64url'),
  };
  const daemon = startDaemon([process.execPath, '-e', serverScript], {
    cwd: resolve(import.meta.dirname, '../../..'), // require('s3rver') resolves from the repository
    env: {
      PATH: process.env.PATH,
      S3_KEY_ID: env.AWS_ACCESS_KEY_ID,
      S3_SECRET: env.AWS_SECRET_ACCESS_KEY,
      S3_PORT: String(port),
      S3_DIR: dir,
      S3_BUCKET: bucket,
    },
  });
  await waitFor('s3rver', () => daemon.output().includes('ready') || daemon.exited(), 20_000, daemon.output);
  if (daemon.exited() || !(await portOpen(port)))
    throw new Error(`s3rver did not start:\n${daemon.output()}`);
  const endpoint = `http://127.0.0.1:${port}`;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'; // as src/evidence/s3.ts
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    endpoint,
    bucket,
    dir,
    env,
    url: (prefix) => `s3://${bucket}/${prefix}?endpoint=${endpoint}&region=us-east-1`,
    async putObject(key, body) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    async deleteObject(key) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
    async stop() {
      client.destroy();
      await daemon.stop();
      removeDir(dir);
    },
  };
}
