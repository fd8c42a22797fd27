/**
 * The URL path of Dolibarr's public scheduled-jobs page (htdocs/public/cron/cron_run_jobs_by_url.php). A release
 * without scripts/ has its jobs run by a cron line that GETs it with CRON_KEY in the query string (a POST is refused
 * by main.inc.php's CSRF check, docs/DOLIBARR-NOTES.md): the sites keep that request out of the access log.
 */
export const cronByUrlPath = '/public/cron/cron_run_jobs_by_url.php';
