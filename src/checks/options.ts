/**
 * Where the probes look when the defaults do not fit: a server with non-standard paths, or a
 * test whose services run from temp dirs. Every field is optional; defaults are the Debian ones.
 */
export interface ValidationOptions {
  /** Address to reach the site (TLS, ports) at; default: the target host, 127.0.0.1 for "local". */
  connectAddress?: string;
  /** Extra CA certificates (PEM file on this machine) trusted when checking the served chain. */
  trustedCaFile?: string;
  /** nginx main config and prefix for `nginx -t` (default: nginx's compiled-in ones). */
  nginxConfig?: string;
  nginxPrefix?: string;
  /** Apache main config for `apache2 -t -f` (default: apachectl -t). */
  apacheConfig?: string;
  /** sshd_config to evaluate with `sshd -T -f` (default /etc/ssh/sshd_config). */
  sshdConfig?: string;
  /** conf.php path (default <root>/shared/conf/conf.php, then <root>/current/htdocs/conf/conf.php). */
  confPhp?: string;
  /** Web root (default <root>/current/htdocs). */
  webRoot?: string;
  /** Files and directories searched for a cron entry mentioning backup. */
  cronPaths?: string[];
  /** PHP binary to ask (default php). */
  phpBinary?: string;
  /** Per-command timeout for probes (default 20 s). */
  commandTimeoutMs?: number;
}
