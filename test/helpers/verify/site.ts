import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { LocalHost } from '../../../src/hosts/local.js';
import { makeVerifyContext, type VerifyContext, type VerifyOptions } from '../../../src/verify/context.js';
import { buildFixtureRelease } from '../fixture-release/build.js';
import { packCustomModule } from '../fixture-release/custom-module.js';
import { caOf, startInstallStack, type InstallStack } from '../install-stack/index.js';
import { freePort } from '../services/process.js';

/**
 * A deployed site to verify (issue 6): the fixture release installed by the real pipeline (REST API module on,
 * one planned user with rights), served by nginx + PHP-FPM, and a real SMTP sink Dolibarr's mail settings point at.
 */
export interface VerifySite {
  stack: InstallStack;
  mails: ParsedMail[];
  smtpPort: number;
  options: VerifyOptions;
  context(extra?: VerifyOptions): VerifyContext;
  sql(query: string): Promise<string[][]>;
  stop(): Promise<void>;
}

export async function startSmtpSink(mails: ParsedMail[]): Promise<{ port: number; stop(): Promise<void> }> {
  const port = await freePort();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, done) {
      simpleParser(stream).then((m) => {
        mails.push(m);
        done();
      }, done);
    },
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ok());
  });
  return { port, stop: () => new Promise<void>((ok) => server.close(() => ok())) };
}

export async function startVerifySite(version = '22.0.2'): Promise<VerifySite> {
  const out = mkdtempSync(join(tmpdir(), 'moko-verify-'));
  const release = buildFixtureRelease({ version }, out);
  const moduleTgz = packCustomModule(join(out, 'modules'), {
    name: 'mokoinvoice',
    className: 'modMokoInvoice',
    numero: 500100,
    version: '1.4.2',
    phpmin: [8, 1],
    needDolibarrVersion: [20, 0],
    rights: [[500101, 'Read invoices', 'read']],
  });
  const stack = await startInstallStack({
    release: release.tarball,
    version: release.version,
    sha256: release.sha256,
    modules: ['modApi', 'modPropale'],
    customModules: [{ name: 'mokoinvoice', source: moduleTgz }],
    users: [
      {
        login: 'alice',
        lastname: 'Martin',
        admin: false,
        password: { secret: 'acme/alice' },
        rights: ['societe.lire'],
      },
    ],
  });
  const mails: ParsedMail[] = [];
  const smtp = await startSmtpSink(mails);
  const sql = (q: string) => stack.db.rootClient.query(`USE ${stack.plan.database.name}; ${q}`);
  await sql(`UPDATE llx_const SET value = '${smtp.port}' WHERE name = 'MAIN_MAIL_SMTP_PORT'`);
  const options = verifyOptionsFor(stack, 3);
  return {
    stack,
    mails,
    smtpPort: smtp.port,
    options,
    sql,
    context: (extra = {}) =>
      makeVerifyContext({
        plan: stack.plan,
        policy: stack.ctx.policy,
        host: new LocalHost(),
        now: new Date(),
        secret: (n) => stack.secrets.secret(n),
        options: { ...options, ...extra },
      }),
    async stop() {
      await smtp.stop();
      await stack.stop();
      execFileSync('rm', ['-rf', out]);
    },
  };
}

/** nginx of the stack re-reads its site files (after a test edits one). */
/** Verification options for an install stack: its CA, cron dir, nginx and PHP-FPM logs, mail to qa@acme.test. */
export function verifyOptionsFor(stack: InstallStack, loads: number): VerifyOptions {
  return {
    ca: caOf(stack),
    caFile: stack.cert.caPath,
    address: '127.0.0.1',
    cronDir: join(stack.dir, 'cron.d'),
    cronPaths: [join(stack.dir, 'cron.d')],
    logFiles: [join(stack.dir, 'nginx', 'error.log'), join(stack.dir, 'fpm', 'php-fpm.log')],
    loads,
    mailTo: 'qa@acme.test',
  };
}

export function reloadNginx(stack: InstallStack): void {
  const dir = join(stack.dir, 'nginx');
  execFileSync('/usr/sbin/nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-s', 'reload']);
}
