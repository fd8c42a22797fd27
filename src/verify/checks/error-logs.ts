import { readText } from '../target-probe.js';
import { result, type VerifyCheck } from '../check.js';
import type { VerifyContext } from '../context.js';

/**
 * Verification "No error logs": the web server, PHP-FPM and Dolibarr logs are scanned for errors written
 * since the deployment started (lines without a readable date count). Formats: nginx "2026/11/27 10:07:39
 * [error]", Apache "[Fri Nov 27 10:07:39.1 2026] [php:error]", PHP "[27-Nov-2026 10:07:39 UTC] PHP Fatal
 * error", Dolibarr's dolibarr.log "2026-11-27 10:07:39 ERR".
 */
export function defaultLogFiles(ctx: VerifyContext): string[] {
  const server =
    ctx.plan.target.webServer === 'nginx' ? '/var/log/nginx/error.log' : '/var/log/apache2/error.log';
  return [
    server,
    '/var/log/php8.2-fpm.log',
    '/var/log/php8.3-fpm.log',
    '/var/log/php8.1-fpm.log',
    `${ctx.plan.target.dataRoot}/dolibarr.log`,
  ];
}

const errorLine =
  /(\[(error|crit|alert|emerg)\]|\[[a-z_]*:(error|crit|alert|emerg)\]|PHP (Fatal|Parse|Warning|Recoverable)|\bERR\b|\bCRIT\b|\bALERT\b|\bEMERG\b|WARNING: \[pool)/;
const months: Record<string, string> = {
  Jan: '01',
  Feb: '02',
  Mar: '03',
  Apr: '04',
  May: '05',
  Jun: '06',
  Jul: '07',
  Aug: '08',
  Sep: '09',
  Oct: '10',
  Nov: '11',
  Dec: '12',
};

export function lineTime(line: string): number | undefined {
  let m = /(\d{4})[/-](\d{2})[/-](\d{2})[ T](\d{2}:\d{2}:\d{2})/.exec(line);
  if (m) return Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}Z`);
  m = /(\d{2})-([A-Z][a-z]{2})-(\d{4}) (\d{2}:\d{2}:\d{2})/.exec(line);
  if (m) return Date.parse(`${m[3]}-${months[m[2]!]}-${m[1]}T${m[4]}Z`);
  m = /[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{2}) (\d{2}:\d{2}:\d{2})(?:\.\d+)? (\d{4})/.exec(line);
  if (m) return Date.parse(`${m[4]}-${months[m[1]!]}-${m[2]}T${m[3]}Z`);
  return undefined;
}

/** Denials of conf/, install/, dotfiles are the site doing its job (nginx logs them at [error]). */
const expected = /access forbidden by rule|client denied by server configuration/;

export function errorsSince(text: string, since?: number): string[] {
  return text
    .split('\n')
    .filter(
      (l) =>
        errorLine.test(l) && !expected.test(l) && (since === undefined || (lineTime(l) ?? Infinity) >= since),
    );
}

export const errorLogsCheck: VerifyCheck = {
  id: 'error-logs',
  item: 'verify.error-logs',
  title: 'Error logs',
  async run(ctx) {
    const files = ctx.options.logFiles ?? defaultLogFiles(ctx);
    const started = ctx.record?.runs.at(-1)?.startedAt;
    const since = started ? Date.parse(started) - 60_000 : undefined;
    const read: string[] = [];
    const found: string[] = [];
    const unreadable: string[] = [];
    for (const file of files) {
      // read as root, as the engine does: logs are root- or www-data-owned (issue 25)
      const text = await readText(ctx, file, { argv: ['tail', '-n', '5000', '--', file] });
      if (!text.known) unreadable.push(text.why);
      if (!text.known || text.value === undefined) continue;
      read.push(file);
      for (const line of errorsSince(text.value, since)) found.push(`${file}: ${line.trim().slice(0, 200)}`);
    }
    if (found.length === 0 && unreadable.length > 0)
      return [
        result(
          'verify.error-logs',
          'error-logs',
          'unknown',
          `${unreadable.length} log(s) could not be read${read.length ? `; no errors in ${read.join(', ')}` : ''}`,
          unreadable.join('; '),
        ),
      ];
    if (read.length === 0) {
      return [
        result(
          'verify.error-logs',
          'error-logs',
          'warn',
          `no log file readable among ${files.join(', ')}`,
          'give the log paths: mokodeploy verify --log FILE',
        ),
      ];
    }
    const where = `${read.length} log(s) (${read.join(', ')})${started ? ` since ${started}` : ''}`;
    if (found.length === 0)
      return [result('verify.error-logs', 'error-logs', 'pass', `no errors in ${where}`)];
    return [
      result(
        'verify.error-logs',
        'error-logs',
        'fail',
        `${found.length} error line(s) in ${where}`,
        `first: ${found.slice(0, 3).join(' | ')}`,
      ),
    ];
  },
};
