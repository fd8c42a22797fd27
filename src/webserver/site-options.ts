import { isIP } from 'node:net';
import { cannotEscape } from '../escape/refuse.js';
/** What a web server site for one client needs; one shape for nginx and Apache. */
export interface SiteOptions {
  /** Short name used for files and the PHP-FPM pool, e.g. the client slug. */
  name: string;
  domain: string;
  httpPort: number;
  httpsPort: number;
  /** Addresses to bind (plan site.listen); absent: every interface. */
  listen?: string[];
  /** <root>/current/htdocs */
  documentRoot: string;
  /** Certificate file holding the leaf followed by its chain (what both servers want). */
  certificateFile: string;
  keyFile: string;
  /** PHP-FPM unix socket the site passes PHP requests to. */
  fpmSocket: string;
  /** nginx: absolute path of fastcgi_params (default /etc/nginx/fastcgi_params). */
  fastcgiParams?: string;
  /** Apache: emit `Listen` lines for non-standard ports (a stand-alone test server needs them). */
  apacheListen?: boolean;
  /** Apache: the site's own access log (CustomLog), which leaves out the cron page's requests (its key). */
  accessLog?: string;
  /** Max upload size in MiB (default 64). */
  maxUploadMb?: number;
  /** While this file exists every request gets 503 (maintenance during a database migration, issue 5). */
  maintenanceFlag?: string;
}

export function httpsRedirectTarget(o: SiteOptions): string {
  return o.httpsPort === 443 ? `https://${o.domain}` : `https://${o.domain}:${o.httpsPort}`;
}

/** A number written into a config file: an integer in range, else an input error (never NaN or 1e21). */
export function checkedInt(n: number, min: number, max: number, what: string): string {
  if (!Number.isInteger(n) || n < min || n > max)
    throw cannotEscape('a web server config', what, `it must be a whole number from ${min} to ${max}`);
  return String(n);
}

/** `address:port` for a listen directive (IPv6 in brackets); anything but an IP address is refused. */
export function listenAddress(address: string, port: string): string {
  const kind = isIP(address);
  if (kind === 0) throw cannotEscape('a web server config', 'site.listen', 'it must be an IP address');
  return kind === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}
