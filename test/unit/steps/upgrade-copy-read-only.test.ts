import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { logEventCodes, readOnlyWindowConfPhp } from '../../../src/steps/upgrade-copy/read-only.js';

/**
 * Issue 19: the served release's conf.php for the write-unavailable window, run by the real php as Dolibarr includes
 * it (at file scope, before conf.class.php setValues() reads $_SERVER['DOLIBARR_<constant>']).
 */
describe('conf.php of the read-only window (real php)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'moko-read-only-conf-'));
  // a path with a quote and a backslash stays inside the PHP string literal
  const shared = (body: string) => {
    const p = join(dir, "sha'red\\conf.php");
    writeFileSync(p, `<?php\n$dolibarr_main_db_name = 'acme_crm';\n$dolibarr_main_db_pass = 'secret';\n${body}`);
    return p;
  };
  const run = (content: string) => {
    const file = join(dir, 'conf.php');
    writeFileSync(file, content);
    return JSON.parse(
      execFileSync('php', [
        '-r',
        `include $argv[1]; echo json_encode(['vars' => get_defined_vars(), 'server' => $_SERVER]);`,
        file,
      ]).toString(),
    ) as { vars: Record<string, unknown>; server: Record<string, unknown> };
  };

  it('read-only flag, every security event of Logevents overridden to empty, no secret copied', () => {
    const content = readOnlyWindowConfPhp(shared(''));
    expect(content).not.toContain('secret');
    const { vars, server } = run(content);
    expect(vars.dolibarr_main_db_readonly).toBe(1);
    expect(vars.dolibarr_main_db_name).toBe('acme_crm');
    for (const code of logEventCodes) expect(server[`DOLIBARR_MAIN_LOGEVENTS_${code}`]).toBe('');
    expect(server.DOLIBARR_MAIN_LOGEVENTS_USER_LOGIN).toBe('');
    // a site without Dolibarr's database sessions keeps PHP's default: the variable stays unset
    expect(vars.php_session_save_handler).toBeUndefined();
  });

  it("sessions in llx_session ('db') fall back to PHP's session files for the window; another handler is kept", () => {
    expect(run(readOnlyWindowConfPhp(shared("$php_session_save_handler = 'db';\n"))).vars).toMatchObject({
      php_session_save_handler: '',
      dolibarr_main_db_readonly: 1,
    });
    expect(
      run(readOnlyWindowConfPhp(shared("$php_session_save_handler = 'files';\n"))).vars.php_session_save_handler,
    ).toBe('files');
  });
});
