import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { workspace } from '../helpers/cli.js';
import { planInput } from '../helpers/records.js';

/** Issue 14, points 13-16: what a new user read on the terminal. */
describe('newcomer: output and errors of the real executable', () => {
  it('an unknown command exits 2 with the closest command, also when --help follows it (point 15)', () => {
    const ws = workspace();
    for (const args of [
      ['import', '--help'],
      ['import'],
      ['--home', 'x', 'reprot', '-h'],
      ['lock', 'stauts', '--help'],
    ]) {
      const r = ws.run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/unknown command '(import|reprot|stauts)'/);
      expect(r.stdout).not.toContain('Usage:');
    }
    expect(ws.run(['reprot']).stderr).toContain('Did you mean report?');
    expect(ws.run(['lock', 'stauts']).stderr).toContain('Did you mean status?');
    // help of a real command still works
    const help = ws.run(['lock', 'status', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: mokodeploy lock status');
  });

  it('an all-digit sha256 left unquoted: the error says to quote it (point 16)', () => {
    const ws = workspace();
    const digits = '1'.repeat(64);
    const text = stringify(planInput()).replace(
      'release: /srv/dolibarr-20.0.2.tgz',
      `release: /srv/dolibarr-20.0.2.tgz\n  sha256: ${digits}`,
    );
    expect(text).toContain(`sha256: ${digits}`);
    ws.writePlan('plan.yaml', text);
    const r = ws.run(['plan', 'submit', 'plan.yaml', '--as', 'tina']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/plan.yaml:\d+:\d+ dolibarr.sha256: .*quote the value, e\.g\. sha256: "…"/);
    // a field that expects text but got a quoted string is not told to quote
    ws.writePlan('ok.yaml', text.replace(`sha256: ${digits}`, `sha256: "${'a'.repeat(64)}"`));
    expect(ws.run(['plan', 'submit', 'ok.yaml', '--as', 'tina']).stderr).not.toContain('quote');
  });

  it('status output ends with a newline in every state it is shown in (point 14)', () => {
    const ws = workspace();
    ws.writePlan('plan.yaml', planInput());
    expect(ws.run(['plan', 'submit', 'plan.yaml', '--as', 'tina']).code).toBe(0);
    for (const step of [[], ['approve', 'acme-2026-12', '--as', 'dave']]) {
      if (step.length > 0) expect(ws.run(step).code).toBe(0);
      for (const json of [[], ['--json']]) {
        const r = ws.run([...json, 'status', 'acme-2026-12']);
        expect(r.code).toBe(0);
        expect(r.stdout.endsWith('\n')).toBe(true);
        expect(r.stdout.endsWith('\n\n')).toBe(false);
      }
    }
  });

  it('--ca-file is the one name for the site CA; --ca is still accepted (point 13)', () => {
    const ws = workspace();
    for (const cmd of [
      ['verify', 'x'],
      ['deploy', 'x'],
      ['upgrade', 'x'],
      ['rollback', 'x'],
      ['hypercare', 'run', 'x'],
    ]) {
      const help = ws.run([...cmd, '--help']).stdout;
      expect(help, cmd.join(' ')).toContain('--ca-file <pem>');
      expect(help, cmd.join(' ')).not.toMatch(/--ca </);
    }
    // the old name still parses (the run then fails only for the unknown deployment)
    const old = ws.run(['verify', 'nope', '--ca', '/etc/hostname', '--as', 'tina']);
    expect(old.stderr).not.toContain('unknown option');
    expect(old.stderr).toContain('no deployment nope');
  });
});
