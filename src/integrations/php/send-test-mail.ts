import { phpTool } from '../../dolibarr/php/bootstrap.js';

/**
 * A test mail sent by Dolibarr itself with the settings the smtp step wrote: CMailFile (core/class/CMailFile.class.php,
 * 20.0.2: __construct($subject, $to, $from, $msg) and sendfile(); in sendmode 'smtps' it builds the host as
 * ssl://… for MAIN_MAIL_EMAIL_TLS or tls://… for MAIN_MAIL_EMAIL_STARTTLS and logs in with MAIN_MAIL_SMTPS_ID/_PW,
 * l.1016-1060). Input: { htdocs, admin, to, subject }.
 */
export const sendTestMailPhp = phpTool(`
require_once DOL_DOCUMENT_ROOT.'/core/class/CMailFile.class.php';
$from = getDolGlobalString('MAIN_MAIL_EMAIL_FROM');
$mail = new CMailFile($mokoInput['subject'], $mokoInput['to'], $from, "This is a test mail sent by mokodeploy through Dolibarr (integration check).\\n");
if ($mail->sendfile()) {
	$mokoResult['done'][] = 'sent from '.$from.' to '.$mokoInput['to'].' via '.getDolGlobalString('MAIN_MAIL_SMTP_SERVER').':'.getDolGlobalString('MAIN_MAIL_SMTP_PORT');
} else {
	moko_fail('not sent: '.strip_tags(str_replace('<br>', ' ', (string) $mail->error)));
}
`);
