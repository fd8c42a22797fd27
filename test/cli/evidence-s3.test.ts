import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createApp } from '../../src/app/context.js';
import { openEvidenceFiles } from '../../src/evidence/open.js';
import { workspace, type CliResult, type Workspace } from '../helpers/cli.js';
import { contacts, notifyTeamYaml } from '../helpers/notify/seed.js';
import { startMailSink, type MailSink } from '../helpers/notify/mail-sink.js';
import { planInput } from '../helpers/records.js';
import { freePort } from '../helpers/services/process.js';
import { startS3, type S3Server } from '../helpers/services/s3.js';
import { seedDeployment } from '../web/helpers/walk.js';

/**
 * Issue 20: evidence files in an S3-compatible bucket (s3rver on loopback), through the built CLI. A file given
 * with --file lands in the bucket (not in <home>/evidence); the mail attachment is read back from it; a changed
 * object is refused with its sha256 and never mailed; a bucket that is down is a clear error and changes no record.
 * The access key and the secret key never show in any output.
 */
let s3: S3Server;
let sink: MailSink;
const outputs: string[] = [];
beforeAll(async () => {
  [s3, sink] = await Promise.all([startS3(), startMailSink()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([s3?.stop(), sink?.stop()]);
});

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const kept = (r: CliResult) => (outputs.push(r.stdout, r.stderr), r);

/** A workspace whose evidence is in the bucket under its own prefix, with a deployment seeded up to `until`. */
async function bucketWorkspace(prefix: string, until: 'approved' | 'verifying') {
  const ws = workspace();
  writeFileSync(join(ws.dir, 'team.yaml'), notifyTeamYaml(sink.port));
  const app = createApp({
    home: ws.env.MOKODEPLOY_HOME,
    env: {
      MOKODEPLOY_TEAM: join(ws.dir, 'team.yaml'),
      MOKODEPLOY_AUDIT_KEY_FILE: ws.env.MOKODEPLOY_AUDIT_KEY_FILE,
    },
  });
  const id = await seedDeployment(app, stringify(planInput({ id: `acme-${prefix}`, contacts })), until);
  await app.close();
  const env = { ...s3.env, MOKODEPLOY_EVIDENCE: s3.url(prefix) };
  const files = openEvidenceFiles(s3.url(prefix), { home: '/nonexistent', where: 'test', env: s3.env });
  return {
    ws,
    id,
    env,
    files,
    run: (args: string[], extra = {}) => kept(ws.run(args, { ...env, ...extra })),
  };
}

function handoffPdf(ws: Workspace, text: string): { path: string; content: Buffer } {
  const content = Buffer.from(`%PDF-1.4\n% ${text}\n`);
  const path = join(ws.dir, 'handoff.pdf');
  writeFileSync(path, content);
  return { path, content };
}

describe('evidence files in an S3 bucket, through the CLI', () => {
  it('a file given with --file lands in the bucket; the handoff mail carries it, read back from the bucket', async () => {
    const w = await bucketWorkspace('mail', 'verifying');
    const pack = handoffPdf(w.ws, 'the handoff pack, in the bucket');
    const r = w.run(['handoff-deliver', w.id, '--as', 'carla', '--file', pack.path]);
    expect(r.code, r.stderr).toBe(0);
    expect((await w.files.get(sha(pack.content))).toString()).toBe(pack.content.toString());
    expect(existsSync(join(w.ws.env.MOKODEPLOY_HOME!, 'evidence'))).toBe(false);
    const shown = JSON.parse(w.run(['--json', 'show', w.id]).stdout);
    expect(shown.handoff.evidence).toEqual([
      { kind: 'file', name: 'handoff.pdf', sha256: sha(pack.content), size: pack.content.length },
    ]);

    // a generated report recorded by its sha256 lands in the bucket too, the same bytes as the file written
    const report = w.run([
      'report',
      w.id,
      'signoff',
      '--no-pdf',
      '--as',
      'carla',
      '--out',
      join(w.ws.dir, 'reports'),
    ]);
    expect(report.code, report.stderr).toBe(0);
    const html = readFileSync(join(w.ws.dir, 'reports', `${w.id}-signoff.html`));
    const documents = JSON.parse(w.run(['--json', 'show', w.id]).stdout).documents as {
      kind: string;
      evidence: { sha256: string }[];
    }[];
    expect(documents.find((d) => d.kind === 'signoff')!.evidence.map((e) => e.sha256)).toEqual([sha(html)]);
    expect((await w.files.get(sha(html))).equals(html)).toBe(true);

    const sent = kept(await w.ws.runAsync(['outbox', 'send'], w.env));
    expect(sent.code, sent.stderr).toBe(0);
    const mails = sink.received.filter(
      (m) =>
        m.mail.headers.get('x-mokodeploy-event') === 'handoff-delivered' &&
        m.mail.headers.get('x-mokodeploy-deployment') === w.id,
    );
    expect(mails.length).toBeGreaterThan(0);
    for (const m of mails)
      expect(m.mail.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([
        ['handoff.pdf', pack.content.toString()],
      ]);
    expect(kept(w.ws.run(['audit', 'verify'])).stdout).toMatch(/audit trail intact/);
    w.files.close();
  }, 120_000);

  it('an object changed in the bucket is refused with its sha256 and never mailed', async () => {
    const w = await bucketWorkspace('tampered', 'verifying');
    const pack = handoffPdf(w.ws, 'the real pack');
    expect(w.run(['handoff-deliver', w.id, '--as', 'carla', '--file', pack.path]).code).toBe(0);
    const id = sha(pack.content);
    await s3.putObject(`tampered/${id}`, '%PDF-1.4\n% a forged pack\n');
    const before = sink.received.length;

    const sent = kept(await w.ws.runAsync(['outbox', 'send', '--deployment', w.id], w.env));
    expect(sent.code).toBe(6); // some messages not sent
    expect(sent.stdout).toContain(`evidence file ${id}`);
    expect(sent.stdout).toContain('was changed');
    const mailed = sink.received.slice(before);
    expect(mailed.some((m) => m.raw.includes('forged'))).toBe(false);
    expect(mailed.some((m) => m.mail.headers.get('x-mokodeploy-event') === 'handoff-delivered')).toBe(false);
    const outbox = JSON.parse(w.run(['--json', 'outbox', '--deployment', w.id]).stdout) as {
      event: string;
      status: string;
      reply?: string;
    }[];
    const handoff = outbox.filter((m) => m.event === 'handoff-delivered' && m.status !== 'sent');
    expect(handoff.length).toBeGreaterThan(0);
    for (const m of handoff) {
      expect(m.status).toBe('failed'); // a changed file is not tried again
      expect(m.reply).toContain(`evidence file ${id} in s3://${s3.bucket}/tampered`);
    }
    w.files.close();
  }, 120_000);

  it('a bucket down when the mail goes: the message stays queued with the reason, and goes once it answers', async () => {
    const w = await bucketWorkspace('later', 'verifying');
    const pack = handoffPdf(w.ws, 'sent later');
    expect(w.run(['handoff-deliver', w.id, '--as', 'carla', '--file', pack.path]).code).toBe(0);
    const down = `s3://${s3.bucket}/later?endpoint=http://127.0.0.1:${await freePort()}`;
    const send = (env: NodeJS.ProcessEnv) =>
      w.ws.runAsync(['outbox', 'send', '--deployment', w.id], { ...w.env, ...env }).then(kept);
    expect((await send({ MOKODEPLOY_EVIDENCE: down })).code).toBe(6);
    const handoff = () =>
      (
        JSON.parse(w.run(['--json', 'outbox', '--deployment', w.id]).stdout) as {
          event: string;
          status: string;
          reply?: string;
        }[]
      ).filter((m) => m.event === 'handoff-delivered');
    expect(handoff().length).toBeGreaterThan(0);
    for (const m of handoff()) {
      expect(m.status).toBe('queued');
      expect(m.reply).toMatch(/the evidence bucket did not answer/);
    }
    // past the back-off, with the bucket answering: sent, the pack attached
    const later = await send({ MOKODEPLOY_CLOCK: new Date(Date.now() + 86_400_000).toISOString() });
    expect(later.code, later.stderr).toBe(0);
    expect(handoff().every((m) => m.status === 'sent')).toBe(true);
    const mailed = sink.received.filter((m) => m.mail.headers.get('x-mokodeploy-deployment') === w.id);
    expect(mailed.some((m) => m.mail.attachments.some((a) => a.content.equals(pack.content)))).toBe(true);
    w.files.close();
  }, 120_000);

  it('a bucket that is down: a clear error naming the bucket, and no record changed', async () => {
    const w = await bucketWorkspace('down', 'approved');
    writeFileSync(join(w.ws.dir, 'requirements.txt'), 'requirements signed\n');
    const before = w.ws.dumpStore();
    const down = `s3://${s3.bucket}/down?endpoint=http://127.0.0.1:${await freePort()}`;
    const tick = ['tick', w.id, 'requirements-documented', '--as', 'tina', '--file', 'requirements.txt'];
    const r = w.run(tick, { MOKODEPLOY_EVIDENCE: down });
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(
      /^error: .*storing evidence file [0-9a-f]{64}: the evidence bucket did not answer/,
    ); // first line
    expect(r.stderr).toContain(`s3://${s3.bucket}/down`);
    expect(r.stderr).toContain('fix: check that the S3 server runs');
    expect(w.ws.dumpStore()).toBe(before);

    // the same through --evidence-store, and a bucket that refuses the key: refused, nothing changed either
    const refused = w.run(['--evidence-store', s3.url('down'), ...tick], {
      AWS_ACCESS_KEY_ID: 'MOKOWRONGKEYID',
    });
    expect(refused.code).toBe(6);
    expect(refused.stderr).toMatch(/the evidence bucket refused our credentials/);
    expect(w.ws.dumpStore()).toBe(before);

    // credentials in the URL: refused before anything is read, without repeating them
    const inUrl = w.run([
      '--evidence-store',
      `s3://${s3.env.AWS_ACCESS_KEY_ID}:${s3.env.AWS_SECRET_ACCESS_KEY}@${s3.bucket}/down`,
      ...tick,
    ]);
    expect(inUrl.code).toBe(2);
    expect(inUrl.stderr).toContain('the evidence URL carries credentials: refused');
    expect(w.ws.dumpStore()).toBe(before);

    // the bucket back: the same command records the file there
    const ok = w.run(tick);
    expect(ok.code, ok.stderr).toBe(0);
    expect(await w.files.list()).toEqual([sha('requirements signed\n')]);
    expect(w.ws.dumpStore()).not.toBe(before);
    w.files.close();
  }, 120_000);

  it('the access key and the secret key never show in any output, log or error above', () => {
    expect(outputs.length).toBeGreaterThan(10);
    const all = outputs.join('\n');
    expect(all).not.toContain(s3.env.AWS_SECRET_ACCESS_KEY);
    expect(all).not.toContain(s3.env.AWS_ACCESS_KEY_ID);
  });
});
