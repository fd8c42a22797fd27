import { describe, expect, it } from 'vitest';
import { restorePipeline } from '../../../src/steps/restore/index.js';
import { restoreCron } from '../../../src/steps/restore/restore-cron.js';
import { resetAdminPassword } from '../../../src/steps/restore/admin-password.js';
import { adminLoginAfterRecovery } from '../../../src/steps/restore/admin-login.js';
import { knownSecrets, testContext } from './install-context.js';

// Issue 23 "Recovery is a complete install": the scheduled jobs, the pool and the site as a fresh install writes them.
describe('restore pipeline', () => {
  it('ends with the cron entry, the PHP-FPM pool and the web site, after the data is verified', () => {
    const ids = restorePipeline().map((s) => s.id);
    expect(ids.slice(-4)).toEqual([
      'restore:admin-password',
      'restore:cron',
      'install:php-fpm-pool',
      'install:web-site',
    ]);
    expect(ids.indexOf('restore:verify-data')).toBeLessThan(ids.indexOf('restore:admin-password'));
    expect(restorePipeline({ web: false }).map((s) => s.id)).not.toContain('restore:cron');
  });

  it('writes the cron file but not CRON_KEY (the restored database holds it; set_const would rewrite llx_const)', () => {
    const actions = restoreCron.plan(testContext());
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({ kind: 'write', file: { path: '/etc/cron.d/mokocrm-acme' } });
    expect(JSON.stringify(actions)).not.toContain(knownSecrets['acme/cron-key']);
  });

  it("resets the admin's password only when the plan asks, the secret on stdin, and says which password works", () => {
    expect(resetAdminPassword.plan(testContext())).toEqual([]);
    const ctx = testContext({}, {
      kind: 'disaster-recovery',
      recovery: { resetAdminPassword: true },
    } as never);
    const [reset] = resetAdminPassword.plan(ctx);
    if (reset?.kind !== 'run') throw new Error('expected a run');
    expect(reset.command.argv.join(' ')).not.toContain(knownSecrets['acme/admin']);
    expect(JSON.parse((reset.command.stdin as { reveal(): string }).reveal()).users).toEqual([
      expect.objectContaining({ login: 'admin', password: knownSecrets['acme/admin'], rights: [] }),
    ]);
    expect(adminLoginAfterRecovery(ctx.plan)).toMatch(/with the plan's secret acme\/admin/);
    expect(adminLoginAfterRecovery(testContext().plan, '20261206080000')).toMatch(
      /when backup 20261206080000 was taken/,
    );
  });
});
