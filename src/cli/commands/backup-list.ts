import type { Command } from 'commander';
import type { AppContext } from '../../app/context.js';
import { inputError, notFound } from '../../core/errors.js';
import type { RecordedBackup } from '../../backup/recorded.js';
import { openOffsite, type S3Location } from '../../offsite/index.js';
import { s3FromEnv } from '../../offsite/copies.js';

export interface OffsiteCliOptions {
  offsite: string;
  s3Bucket?: string;
  s3Endpoint?: string;
  s3Prefix?: string;
}

/** Where the off-server copies go: `--offsite store,s3|store|s3|none`; the bucket by options or MOKODEPLOY_S3_*. */
export function withOffsiteOptions(c: Command): Command {
  return c
    .option('--offsite <where>', 'off-server copies: store, s3, store,s3 or none', 'store')
    .option('--s3-bucket <name>', 'bucket for the s3 copy (default $MOKODEPLOY_S3_BUCKET)')
    .option('--s3-endpoint <url>', 'S3-compatible endpoint (default $MOKODEPLOY_S3_ENDPOINT, else AWS)')
    .option('--s3-prefix <prefix>', 'key prefix in the bucket (default $MOKODEPLOY_S3_PREFIX or mokodeploy)');
}

export function offsiteOptionsOf(o: OffsiteCliOptions): { store: boolean; s3: S3Location | false } {
  const where = o.offsite.split(',').map((w) => w.trim());
  const bad = where.filter((w) => !['store', 's3', 'none'].includes(w));
  if (bad.length > 0 || (where.includes('none') && where.length > 1))
    throw inputError(`--offsite ${o.offsite}: expected store, s3, store,s3 or none`, { where: '--offsite' });
  if (!where.includes('s3')) return { store: where.includes('store'), s3: false };
  const env = s3FromEnv({ ...process.env, ...(o.s3Bucket ? { MOKODEPLOY_S3_BUCKET: o.s3Bucket } : {}) });
  if (!env)
    throw inputError('--offsite s3 needs a bucket', {
      where: '--s3-bucket',
      fix: 'give --s3-bucket NAME (and --s3-endpoint URL for a non-AWS server) or set MOKODEPLOY_S3_BUCKET',
    });
  return {
    store: where.includes('store'),
    s3: {
      ...env,
      ...(o.s3Endpoint ? { endpoint: o.s3Endpoint } : {}),
      ...(o.s3Prefix ? { prefix: o.s3Prefix } : {}),
    },
  };
}

interface Row {
  stamp: string;
  manifestSha256: string;
  target: string | null;
  store?: string;
  s3?: string;
}

/** `mokodeploy backup list <id>`: every backup of the deployment's client and where each copy is. */
export function registerBackupList(backup: Command, app: () => AppContext): void {
  withOffsiteOptions(
    backup
      .command('list <id>')
      .description("every backup of the deployment's client: on the target, in the store, in the bucket"),
  ).action(async (id: string, o: OffsiteCliOptions) => {
    const a = app();
    const found = await (await a.store()).get(id);
    if (!found) throw notFound(`no deployment ${id}`, { fix: 'list them with: mokodeploy list' });
    const { client } = found.record.plan;
    const offsite = await openOffsite(a.home, {
      ...offsiteOptionsOf({
        ...o,
        offsite: o.s3Bucket || process.env.MOKODEPLOY_S3_BUCKET ? 'store,s3' : 'store',
      }),
    });
    try {
      const rows = new Map<string, Row>();
      const recorded = found.record.facts.backups as Record<string, RecordedBackup> | undefined;
      for (const b of Object.values(recorded ?? {}))
        rows.set(b.stamp, {
          stamp: b.stamp,
          manifestSha256: b.manifestSha256,
          target: b.copies?.target ?? b.dir,
        });
      for (const i of offsite.store?.indexes(client) ?? []) {
        const row = rows.get(i.stamp) ?? { stamp: i.stamp, manifestSha256: i.manifestSha256, target: null };
        rows.set(i.stamp, {
          ...row,
          target: i.target.deleted ? null : i.target.dir,
          store: offsite.store!.dir,
        });
      }
      for (const stamp of (await offsite.bucket?.stamps(client)) ?? []) {
        const i = await offsite.bucket!.readIndex(client, stamp);
        const row = rows.get(stamp) ?? { stamp, manifestSha256: i?.manifestSha256 ?? '', target: null };
        const l = offsite.bucket!.location;
        rows.set(stamp, { ...row, s3: `s3://${l.bucket}/${l.prefix}` });
      }
      const list = [...rows.values()].sort((x, y) => x.stamp.localeCompare(y.stamp));
      a.out.result({ id, client, backups: list }, () =>
        list.length === 0
          ? `${id}: no backup recorded for ${client}`
          : [
              `backups of ${client} (${id}):`,
              ...list.map(
                (r) =>
                  `  ${r.stamp}  manifest ${r.manifestSha256.slice(0, 16)}…  target: ${r.target ?? '(deleted)'}  store: ${r.store ? 'yes' : 'no'}  s3: ${r.s3 ?? 'no'}`,
              ),
            ].join('\n'),
      );
    } finally {
      offsite.close();
    }
  });
}
