import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Cli } from './demo-cli.js';
import type { DemoServices } from './demo-services.js';

/** What the demo's walk leaves for the summary. */
export interface DemoOutcome {
  id: string;
  dir: string;
  services: DemoServices;
  password: { value: string; via: string; file?: string };
  auditOutput: string;
  /** The CLI's environment (store, keys, team) to source for commands of one's own. */
  envFile: string;
}

interface Item {
  id: string;
  status: string;
}

async function latestItems(cli: Cli, id: string): Promise<{ state: string; items: Item[] }> {
  const { stdout } = await cli(['--json', 'show', id], { quiet: true });
  const record = JSON.parse(stdout) as { state: string; verifications: { results: Item[] }[] };
  return { state: record.state, items: record.verifications.at(-1)?.results ?? [] };
}

export async function printSummary(o: DemoOutcome, cli: Cli, seconds: number): Promise<void> {
  const s = o.services;
  const url = `https://${s.domain}:${s.httpsPort}/`;
  const admin = o.password;
  const { state, items } = await latestItems(cli, o.id);
  const count = (st: string) => items.filter((i) => i.status === st).length;
  const failing = items.filter((i) => i.status === 'fail').map((i) => i.id);
  const pdf = join(o.dir, 'reports', `${o.id}-handoff.pdf`);
  const rel = (p: string) => relative(process.cwd(), p) || p;
  const row = (label: string, text: string) => console.log(`  ${label.padEnd(13)} ${text}`);
  console.log(`\n== ${o.id}: deployed, verified, reported ==`);
  row('site', `${url}  (also https://127.0.0.1:${s.httpsPort}/)`);
  row('certificate', `from the demo's private CA ${rel(s.cert.caPath)}: the browser warns once, accept it`);
  // shown on a terminal only, as `secret get` itself does: never into a pipe or a log
  const shown =
    process.stdout.isTTY || !admin.file ? admin.value : `the password is in ${rel(admin.file)} (0600)`;
  row('admin login', `admin / ${shown}`);
  row('', `(read with ${admin.via})`);
  row('state', state);
  row(
    'verification',
    `${count('pass')} passed, ${count('warn')} warnings, ${count('skip')} skipped, ${failing.length} failing` +
      (failing.length ? `: ${failing.join(', ')}` : ''),
  );
  if (failing.includes('verify.firewall'))
    row(
      '',
      "verify.firewall: this machine's firewall does not deny incoming by default; the demo changes nothing system-wide",
    );
  row('handoff pack', existsSync(pdf) ? rel(pdf) : `MISSING (${rel(pdf)})`);
  row('audit trail', o.auditOutput.trim().replace(/^audit trail /, ''));
  const slowest = [...cli.seconds].sort((a, b) => b[1] - a[1]).slice(0, 5);
  row(
    'time',
    `${Math.round(seconds)} s, of which ${slowest.map(([w, t]) => `${w} ${t.toFixed(0)} s`).join(', ')}`,
  );
  row('store', `${rel(join(o.dir, '.mokodeploy'))} (SQLite)`);
  row('try', `. ${rel(o.envFile)}; node bin/mokodeploy.js show ${o.id}`);
}
