import { describe, expect, it } from 'vitest';
import {
  fenceAfterFailure,
  rollbackBackSteps,
  rollbackBeforeWritesPipeline,
  rollbackFreezeSteps,
  unfreezePipeline,
} from '../../../src/steps/rollback/before-writes.js';
import {
  fenceEndSql,
  fenceMarker,
  fenceReleaseSql,
  fenceSessionsWhere,
  fenceSql,
  sqlString,
} from '../../../src/steps/upgrade-copy/fence-sql.js';
import {
  fenceEndCommand,
  fenceEndScript,
  fenceHeldCommand,
  fenceReleaseCommand,
  fenceStartCommand,
  fenceStartScript,
} from '../../../src/steps/upgrade-copy/fence.js';

/** Issue 19, the write fence: its SQL and commands as data, and where the rollback before writes takes and ends it. */
const t = { waitSeconds: 10, lifetimeSeconds: 900 };
const client = ['mariadb', '--defaults-extra-file=/root/x.cnf', '--socket=/run/mysqld/mysqld.sock'];
const ids = (steps: { id: string }[]) => steps.map((s) => s.id);

describe('write fence SQL', () => {
  it('locks every base table of the schema for reading by a prepared statement, table names quoted in SQL', () => {
    const sql = fenceSql('acme_crm_mk20261206120000', t);
    expect(sql).toContain('SET SESSION lock_wait_timeout = 10;');
    expect(sql).toContain('SET SESSION max_statement_time = 0;');
    expect(sql).toContain("REPLACE(table_name, '`', '``')");
    expect(sql).toContain("WHERE table_schema = 'acme_crm_mk20261206120000' AND table_type = 'BASE TABLE'");
    expect(sql).toContain('PREPARE mokodeploy_fence FROM @mokodeploy_fence;');
    // printed once held, then the marked sleep in the same statement
    expect(sql).toMatch(
      /BEGIN NOT ATOMIC\n {2}SELECT CONCAT\('fence-held '[^\n]*\n {2}DO SLEEP\(900\), 'mokodeploy-fence:acme_crm_mk20261206120000';\nEND\/\//,
    );
    expect(sql).toContain("SIGNAL SQLSTATE ''45000''");
  });

  it('refuses a name that is not a database name of ours (a bug upstream), never quoting it blindly', () => {
    for (const bad of ["acme'; DROP DATABASE x; --", 'a`b', 'a b', '', 'x'.repeat(65)]) {
      expect(() => fenceSql(bad, t)).toThrow(/bug: not a database name/);
      expect(() => fenceEndSql(bad)).toThrow(/bug: not a database name/);
    }
    expect(() => fenceReleaseSql('acme_crm', "site' OR '1", 60)).toThrow(/bug: not a database account/);
  });

  it('finds fence sessions by our account, the marked sleep and the schema at the end of the statement', () => {
    const where = fenceSessionsWhere('acme_crm');
    expect(where).toContain("user = SUBSTRING_INDEX(USER(), '@', 1)");
    expect(where).toContain('id <> CONNECTION_ID()');
    expect(where).toContain(
      "RIGHT(info, CHAR_LENGTH(', ''mokodeploy-fence:acme_crm''')) = ', ''mokodeploy-fence:acme_crm'''",
    );
    expect(fenceMarker('acme_crm')).toBe('mokodeploy-fence:acme_crm');
    expect(sqlString("it's a \\ test")).toBe("'it''s a \\\\ test'");
  });

  it('the release kills waiting writers of the site account on the schema, waits (bounded), kills the rest, ends the fence', () => {
    const sql = fenceReleaseSql('acme_crm_mk20261206120000', 'acme', 60);
    expect(sql).toContain(
      "user = 'acme' AND db = 'acme_crm_mk20261206120000' AND id <> CONNECTION_ID() AND command <> 'Killed' AND state = 'Waiting for table metadata lock'",
    );
    expect(sql).toContain('WHILE n > 0 AND polls <= 1200 DO');
    expect(sql).toContain('DECLARE CONTINUE HANDLER FOR 1094');
    expect(sql.indexOf('SET stragglers')).toBeLessThan(sql.indexOf('SET ended'));
  });
});

describe('write fence commands', () => {
  it('constant scripts, values as positional parameters, through sudo; the client argv last', () => {
    const start = fenceStartCommand('/srv/acme/shared/release-state/fence', 'acme_crm', t, client);
    expect(start.sudo).toBe(true);
    expect(start.argv.slice(0, 7)).toEqual(['bash', '-e', '-u', '-o', 'pipefail', '-c', fenceStartScript]);
    expect(start.argv[8]).toBe('/srv/acme/shared/release-state/fence');
    expect(start.argv[9]).toBe(fenceSql('acme_crm', t));
    expect(start.argv[10]).toBe(String(30 * 50));
    expect(start.argv.slice(11)).toEqual(client);
    expect(start.timeoutMs).toBe(70_000);
    // detached from the command's session; its output private
    expect(fenceStartScript).toContain('setsid "$@"');
    expect(fenceStartScript).toContain('umask 077');
    expect(fenceStartScript).toContain('mkdir -p -- "$dir" && chmod 0700 -- "$dir"');
    const held = fenceHeldCommand('acme_crm', client);
    expect(held.argv.slice(8, 9)).toEqual(['acme_crm']);
    const end = fenceEndCommand('/d', 'acme_crm', client);
    expect(end.argv[6]).toBe(fenceEndScript);
    expect(end.argv.slice(8)).toEqual(['/d', fenceEndSql('acme_crm'), ...client]);
    const release = fenceReleaseCommand('/d', 'acme_crm', 'acme', client);
    expect(release.argv[9]).toBe(fenceReleaseSql('acme_crm', 'acme', 60));
    expect(release.timeoutMs).toBe(120_000);
  });
});

describe('the fence in the rollback before writes', () => {
  it('taken with the read-only flag (no drain), held until current moves, released after the window', () => {
    const all = ids(rollbackBeforeWritesPipeline());
    const at = (id: string) => all.indexOf(id);
    expect(at('rollback:new-read-only')).toBeLessThan(at('rollback:check-writes'));
    expect(at('rollback:check-writes')).toBeLessThan(at('rollback:fence-held'));
    expect(at('rollback:fence-held')).toBe(at('rollback:switch-back') - 1);
    expect(at('rollback:reload-php')).toBeLessThan(at('rollback:fence-release'));
    expect(all.at(-1)).toBe('rollback:fence-release');
    expect(ids(rollbackFreezeSteps({ check: true }))).toContain('rollback:fence-held');
    expect(ids(rollbackBackSteps())[0]).toBe('rollback:switch-back');
    // nothing switched: the fence ends first, nobody killed
    expect(ids(unfreezePipeline())[0]).toBe('rollback-undo:fence-end');
    expect(ids(fenceAfterFailure(true))).toEqual(['rollback-release:fence-release']);
    expect(ids(fenceAfterFailure(false))).toEqual(['rollback-release:fence-end']);
  });
});
