import { fpmComment, fpmIniPath, fpmIniValue as v, fpmSectionName, fpmUser as user } from '../escape/php-fpm.js';

/**
 * A PHP-FPM pool per client: runs as the web user, listens on its own socket, PHP settings Dolibarr's
 * security page recommends (htdocs/admin/system/security.php; DOLIBARR.md §10) and its install check asks
 * for (install/check.php: memory_limit >= 64M). Values go through the PHP-FPM ini escaper (src/escape/php-fpm.ts).
 */
export interface PoolOptions {
  name: string;
  user: string;
  group: string;
  /** Socket path, e.g. /run/php/mokocrm-acme.sock. */
  socket: string;
  /** Who may connect to the socket: the web server's user and group. */
  listenOwner: string;
  listenGroup: string;
  maxChildren?: number;
  maxUploadMb?: number;
  errorLog?: string;
}

export function renderPhpFpmPool(o: PoolOptions): string {
  const upload = `${v(String(o.maxUploadMb ?? 64), 'the upload size')}M`;
  const name = fpmSectionName(o.name);
  return [
    fpmComment(`mokodeploy: PHP-FPM pool for Dolibarr (${name})`),
    `[${name}]`,
    `user = ${user(o.user, 'the web user')}`,
    `group = ${user(o.group, 'the web group')}`,
    `listen = ${fpmIniPath(o.socket, 'the PHP-FPM socket')}`,
    `listen.owner = ${user(o.listenOwner, 'the web user')}`,
    `listen.group = ${user(o.listenGroup, 'the web group')}`,
    'listen.mode = 0660',
    'pm = dynamic',
    `pm.max_children = ${v(String(o.maxChildren ?? 10), 'pm.max_children')}`,
    'pm.start_servers = 2',
    'pm.min_spare_servers = 1',
    'pm.max_spare_servers = 3',
    'pm.max_requests = 500',
    'php_admin_value[memory_limit] = 256M',
    `php_admin_value[upload_max_filesize] = ${upload}`,
    `php_admin_value[post_max_size] = ${upload}`,
    'php_admin_value[max_execution_time] = 300',
    'php_admin_flag[allow_url_fopen] = off',
    'php_admin_value[session.use_strict_mode] = 1',
    'php_admin_flag[session.cookie_httponly] = on',
    'php_admin_flag[session.cookie_secure] = on',
    'php_admin_value[disable_functions] = pcntl_exec,passthru,shell_exec,system',
    'php_admin_flag[log_errors] = on',
    ...(o.errorLog ? [`php_admin_value[error_log] = ${fpmIniPath(o.errorLog, 'the error log')}`] : []),
    '',
  ].join('\n');
}
