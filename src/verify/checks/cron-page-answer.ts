/**
 * What htdocs/public/cron/cron_run_jobs_by_url.php said (20.0.2, l.159-245): one line per job ("cron_run_jobs.php
 * cronjobid: 1 … Result of run_jobs = OK result = 1Job re-scheduled"), then "Result: N jobs - M launched = X OK + Y KO",
 * or only "Result: No active jobs found."; before the jobs, why it refused ("Securitykey is wrong.", the CSRF refusal
 * of main.inc.php). Its closing "Result:" line is the verdict: the page ran, and no job failed (Y = 0).
 */
export interface CronPageAnswer {
  ran: boolean;
  /** The closing "Result:" line, else the start of what the page said. */
  said: string;
}

export function readCronPageAnswer(text: string): CronPageAnswer {
  const result = [...text.matchAll(/Result: [^\n]*/g)].at(-1)?.[0]?.trim();
  if (!result) return { ran: false, said: text.trim().slice(0, 300) };
  const ko = /\+ (\d+) KO\b/.exec(result);
  return {
    ran: ko ? ko[1] === '0' : /^Result: (No active jobs found|\d+ jobs\b)/.test(result),
    said: result,
  };
}
