import { createRequire } from 'node:module';
import { freePort, makeTempDir, removeDir } from './services/index.js';

interface S3rverInstance {
  run(): Promise<unknown>;
  close(): Promise<void>;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

export interface LoopbackS3 {
  endpoint: string;
  bucket: string;
  dir: string;
  /** What the SDK's default credential chain reads (s3rver's own fixed key pair). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** s3rver (npm, dev dependency) on 127.0.0.1:<free port> with one bucket, its objects in a temp directory. */
export async function startLoopbackS3(bucket = 'moko-backups'): Promise<LoopbackS3> {
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;
  const dir = makeTempDir('s3rver');
  const port = await freePort();
  const server = new S3rver({
    port,
    address: '127.0.0.1',
    silent: true,
    directory: dir,
    configureBuckets: [{ name: bucket }],
  });
  await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    dir,
    env: {
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      MOKODEPLOY_S3_BUCKET: bucket,
      MOKODEPLOY_S3_ENDPOINT: endpoint,
      MOKODEPLOY_S3_PREFIX: 'acme-test',
    },
    async stop() {
      await server.close();
      removeDir(dir);
    },
  };
}
