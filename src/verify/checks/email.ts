import { result, type VerifyCheck } from '../check.js';

/**
 * Verification "Email notifications working": a test mail sent by Dolibarr itself — its CMailFile class
 * (core/class/CMailFile.class.php: new CMailFile($subject, $to, $from, $msg), sendfile()) with the mail settings
 * the deployment wrote (MAIN_MAIL_*). The script is ours, read by php from stdin and run as the web user from
 * the live htdocs; the recipient is the plan's test address.
 */
export const sendTestMailPhp = `<?php
foreach (array('NOSESSION', 'NOLOGIN', 'NOREQUIREMENU', 'NOREQUIREHTML', 'NOREQUIREAJAX', 'NOTOKENRENEWAL') as $c) {
	if (!defined($c)) {
		define($c, '1');
	}
}
require 'master.inc.php';
require_once DOL_DOCUMENT_ROOT.'/core/class/CMailFile.class.php';
$from = getDolGlobalString('MAIN_MAIL_EMAIL_FROM', 'robot@localhost');
$mail = new CMailFile($argv[2], $argv[1], $from, "This is a test mail sent by mokodeploy verify through Dolibarr.\\n");
if ($mail->sendfile()) {
	print 'sent from '.$from.' via '.getDolGlobalString('MAIN_MAIL_SMTP_SERVER').':'.getDolGlobalString('MAIN_MAIL_SMTP_PORT')."\\n";
	exit(0);
}
print 'not sent: '.$mail->error."\\n";
exit(1);
`;

export const emailCheck: VerifyCheck = {
  id: 'email',
  item: 'verify.email',
  title: 'Test mail through Dolibarr',
  async run(ctx) {
    const to = ctx.options.mailTo ?? ctx.plan.email?.testRecipient ?? ctx.plan.company.email;
    if (!ctx.plan.email || !to) {
      return [
        result(
          'verify.email',
          'email',
          'fail',
          'no email settings or test recipient in the plan',
          'add email: {from, smtpHost, smtpPort, testRecipient} to the plan, redeploy the email step, verify again',
        ),
      ];
    }
    const subject = `mokodeploy verification ${ctx.plan.client} ${ctx.now.toISOString()}`;
    const r = await ctx.host.run({
      argv: [ctx.options.php, '--', to, subject],
      stdin: sendTestMailPhp,
      cwd: ctx.paths.htdocs,
      asUser: ctx.plan.target.webUser,
      timeoutMs: 60_000,
    });
    const said = (r.stdout || r.stderr).trim().split('\n').slice(-1)[0] ?? '';
    return [
      r.code === 0
        ? result('verify.email', 'email', 'pass', `"${subject}" to ${to}: ${said}`)
        : result(
            'verify.email',
            'email',
            'fail',
            `Dolibarr could not send to ${to}: ${said}`,
            /is either offline or is an invalid host name/.test(said) &&
              /^127\./.test(ctx.plan.email.smtpHost)
              ? `Dolibarr's SMTP client refuses a loopback IP as the server (core/class/smtps.class.php l.427: is_ip() of functions2.lib.php counts 127.0.0.0/8 as reserved, then gethostbyname() fails): set the SMTP server to localhost (plan email.smtpHost, Home > Setup > Emails)`
              : `check the SMTP settings (Home > Setup > Emails; plan email.smtpHost ${ctx.plan.email.smtpHost}:${ctx.plan.email.smtpPort}) and that the server accepts mail from this host`,
          ),
    ];
  },
};
