import { describe, expect, it } from 'vitest';
import { readCronPageAnswer } from '../../../src/verify/checks/cron-page-answer.js';

/**
 * The answers of htdocs/public/cron/cron_run_jobs_by_url.php. The first is what real 20.0.2 wrote in the demo
 * (DEMO_RELEASE=dolibarr-20.0.2.tgz): a new install has two active jobs, so the answer starts with one line per job
 * and only its last line is "Result: …"; `dolibarr.cron` failed on it while the jobs had run.
 */
const real20 = [
  'cron_run_jobs.php cronjobid: 1 priority=10 entity=1 label=SendEmailsReminders - qualifiedResult of run_jobs = OK result = 1Job re-scheduled',
  'cron_run_jobs.php cronjobid: 2 priority=50 entity=0 label=PurgeDeleteTemporaryFilesShort -> we change entity so we reload user and conf - qualifiedResult of run_jobs = OK result = 1Job re-scheduled',
  'Result: 2 jobs - 2 launched = 2 OK + 0 KO',
].join('\n');

describe('the cron page by URL: its closing Result line is the verdict', () => {
  it('ran: jobs launched with none KO, or no active jobs', () => {
    expect(readCronPageAnswer(real20)).toEqual({
      ran: true,
      said: 'Result: 2 jobs - 2 launched = 2 OK + 0 KO',
    });
    expect(readCronPageAnswer('Result: No active jobs found.')).toEqual({
      ran: true,
      said: 'Result: No active jobs found.',
    });
  });

  it('did not: a job KO, a refused key, the CSRF refusal of a POST', () => {
    const ko = `${real20.replace('2 OK + 0 KO', '1 OK + 1 KO')}`;
    expect(readCronPageAnswer(ko)).toEqual({ ran: false, said: 'Result: 2 jobs - 2 launched = 1 OK + 1 KO' });
    expect(readCronPageAnswer('Securitykey is wrong.')).toEqual({
      ran: false,
      said: 'Securitykey is wrong.',
    });
    const csrf =
      "Access to this page this way (POST method or GET with a sensible value for 'action' parameter) is refused by CSRF protection in main.inc.php. Token not provided.\n";
    expect(readCronPageAnswer(csrf).ran).toBe(false);
  });
});
