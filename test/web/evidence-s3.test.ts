import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createApp, type AppContext } from '../../src/app/context.js';
import { openEvidenceFiles } from '../../src/evidence/open.js';
import type { EvidenceFiles } from '../../src/evidence/files.js';
import { hashPassword, PasswordFile } from '../../src/server/passwords.js';
import { buildServer } from '../../src/server/server.js';
import { teamYaml } from '../helpers/cli.js';
import { planInput } from '../helpers/records.js';
import { freePort } from '../helpers/services/process.js';
import { startS3, type S3Server } from '../helpers/services/s3.js';
import { ApiClient } from './helpers/api-client.js';
import { logins, password } from './helpers/dashboard.js';
import { seedDeployment } from './helpers/walk.js';

/**
 * Issue 20: the dashboard keeps uploaded evidence in the S3 bucket MOKODEPLOY_EVIDENCE names (s3rver on loopback)
 * and serves it back from there, checked: an object changed in the bucket is refused with its sha256, never sent.
 * A bucket that is down refuses the upload (502) and changes no record.
 */
let s3: S3Server;
const bodies: string[] = [];
const stops: (() => Promise<void>)[] = [];
beforeAll(async () => {
  s3 = await startS3();
}, 60_000);
afterAll(async () => {
  for (const stop of stops) await stop();
  await s3?.stop();
});

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** A real dashboard on 127.0.0.1 whose app's environment names the evidence location (as `serve` reads it). */
async function dashboard(evidence: string): Promise<{ app: AppContext; as: Record<string, ApiClient> }> {
  const dir = mkdtempSync(join(tmpdir(), 'moko-web-s3-'));
  writeFileSync(join(dir, 'team.yaml'), teamYaml);
  const app = createApp({
    home: join(dir, 'home'),
    env: { MOKODEPLOY_TEAM: join(dir, 'team.yaml'), MOKODEPLOY_EVIDENCE: evidence, ...s3.env },
  });
  const passwords = new PasswordFile(app.home);
  for (const login of logins) passwords.write(login, await hashPassword(password(login)));
  const server = await buildServer({
    app,
    sessionKeyFile: join(dir, 'config', 'session.key'),
    journalPollMs: 100,
  });
  const url = await server.listen({ port: 0, host: '127.0.0.1' });
  stops.push(async () => {
    await server.close();
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const as: Record<string, ApiClient> = {};
  for (const login of ['tina', 'carla', 'quinn']) {
    as[login] = new ApiClient(url);
    expect((await as[login]!.login(login, password(login))).status).toBe(200);
  }
  return { app, as };
}

const keep = <T extends { text: string }>(r: T): T => (bodies.push(r.text), r);

function upload(name: string, content: Buffer, text?: string): FormData {
  const form = new FormData();
  if (text) form.append('evidence', text);
  form.append('file', new Blob([new Uint8Array(content)], { type: 'application/octet-stream' }), name);
  return form;
}

describe('dashboard evidence in an S3 bucket', () => {
  let files: EvidenceFiles;
  let d: Awaited<ReturnType<typeof dashboard>>;
  let id: string;
  const content = Buffer.from('UAT report: all 42 scenarios passed\n');
  beforeAll(async () => {
    d = await dashboard(s3.url('dashboard'));
    files = openEvidenceFiles(s3.url('dashboard'), { home: '/x', where: 'test', env: s3.env });
    id = await seedDeployment(d.app, stringify(planInput({ id: 'web-s3' })), 'approved');
  }, 60_000);
  afterAll(() => files?.close());

  it('a tick with an uploaded file stores it in the bucket (not the home) and the download reads it back', async () => {
    const res = keep(
      await d.as.carla!.post(`/api/deployments/${id}/checklist/uat-completed`, {
        form: upload('uat-report.txt', content, 'UAT signed'),
      }),
    );
    expect(res.status, res.text).toBe(200);
    expect(res.data.evidence).toContainEqual({
      kind: 'file',
      name: 'uat-report.txt',
      sha256: sha(content),
      size: content.length,
    });
    expect(Buffer.compare(await files.get(sha(content)), content)).toBe(0);
    expect(existsSync(join(d.app.home, 'evidence'))).toBe(false);
    const download = keep(await d.as.quinn!.get(`/api/evidence/${sha(content)}`));
    expect(download.status).toBe(200);
    expect(download.text).toBe(content.toString());
    expect(download.headers.get('content-type')).toBe('application/octet-stream');

    // POST /api/evidence then JSON naming it: the bucket is asked whether it holds the file
    const other = Buffer.from('security scan: no finding\n');
    const up = keep(await d.as.quinn!.post('/api/evidence', { form: upload('scan.txt', other) }));
    expect(up.status).toBe(201);
    expect(await files.has(sha(other))).toBe(true);
    const tick = (sha256: string) =>
      d.as.quinn!.post(`/api/deployments/${id}/operations/tick`, {
        json: {
          item: 'security-scan',
          evidence: [{ kind: 'file', name: 'scan.txt', sha256, size: other.length }],
        },
      });
    expect(keep(await tick('c'.repeat(64))).status).toBe(400); // never uploaded
    expect(keep(await tick(sha(other))).status).toBe(200);
  });

  it('an object changed in the bucket is refused with its sha256 (409), never sent', async () => {
    const original = Buffer.from('client sign-off, scanned\n');
    const up = keep(await d.as.carla!.post('/api/evidence', { form: upload('signoff.pdf', original) }));
    expect(up.status).toBe(201);
    await s3.putObject(`dashboard/${sha(original)}`, 'a forged sign-off\n');
    const download = keep(await d.as.quinn!.get(`/api/evidence/${sha(original)}`));
    expect(download.status).toBe(409);
    expect(download.data.error).toContain(`evidence file ${sha(original)}`);
    expect(download.data.error).toContain('was changed');
    expect(download.text).not.toContain('forged');
  });

  it('a bucket that is down: the upload is refused (502) naming the bucket, and the record is unchanged', async () => {
    const down = await dashboard(`s3://${s3.bucket}/down?endpoint=http://127.0.0.1:${await freePort()}`);
    const downId = await seedDeployment(down.app, stringify(planInput({ id: 'web-s3-down' })), 'approved');
    const store = await down.app.store();
    const before = { record: await store.get(downId), audit: (await store.auditEntries()).length };
    const res = keep(
      await down.as.carla!.post(`/api/deployments/${downId}/checklist/uat-completed`, {
        form: upload('uat-report.txt', content),
      }),
    );
    expect(res.status).toBe(502);
    expect(res.data.error).toMatch(/storing evidence file [0-9a-f]{64}: the evidence bucket did not answer/);
    expect(res.data.where).toContain(`s3://${s3.bucket}/down`);
    expect(await store.get(downId)).toEqual(before.record);
    expect((await store.auditEntries()).length).toBe(before.audit);
  });

  it('no answer above carries the access key or the secret key', () => {
    expect(bodies.length).toBeGreaterThan(5);
    const all = bodies.join('\n');
    expect(all).not.toContain(s3.env.AWS_ACCESS_KEY_ID);
    expect(all).not.toContain(s3.env.AWS_SECRET_ACCESS_KEY);
  });
});
