/**
 * Our PHP wrapper (written by us, not Dolibarr code) that runs one of Dolibarr's install pages from the
 * command line with the page's positional arguments read as JSON from stdin instead of argv, so that the
 * database password (step1 arg 12) and the admin password (step5 args 6-7) never appear in argv or `ps`.
 *
 * contract: htdocs/install/step1.php l.36-61, step2.php l.48-49, step5.php l.50-76, upgrade.php l.65-68,
 * upgrade2.php l.78-80 read `$argv[n]` at file scope; install/inc.php l.134-197 runs getopt() (which reads the
 * real, empty, argv: rest index 1) and re-slices `$argv` from index 1, leaving ours intact. The page must be
 * included at file scope and with cwd = htdocs/install (inc.php uses `../conf/conf.php`, l.69).
 */
export const runInstallPagePhp = `<?php
// mokodeploy: run a Dolibarr install page with its arguments from stdin (see src/dolibarr/php/run-install-page.ts)
if (PHP_SAPI !== 'cli') {
	exit(2);
}
$mokoInput = json_decode((string) stream_get_contents(STDIN), true);
$mokoPages = array('step1.php', 'step2.php', 'step5.php', 'upgrade.php', 'upgrade2.php');
if (!is_array($mokoInput) || !in_array($mokoInput['page'] ?? '', $mokoPages, true) || !is_array($mokoInput['args'] ?? null)) {
	fwrite(STDERR, "run-install-page: expected {\\"page\\": one of ".implode(', ', $mokoPages).", \\"args\\": [...]} on stdin\\n");
	exit(2);
}
if (!is_file('./inc.php') || !is_file('./'.$mokoInput['page'])) {
	fwrite(STDERR, "run-install-page: the working directory must be htdocs/install of a Dolibarr release\\n");
	exit(2);
}
$argv = array_merge(array($mokoInput['page']), array_map('strval', $mokoInput['args']));
$argc = count($argv);
$mokoPage = './'.$mokoInput['page'];
unset($mokoInput, $mokoPages);
include $mokoPage;
`;
