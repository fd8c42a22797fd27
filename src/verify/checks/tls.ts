import { tlsCheck as validationTls } from '../../checks/tls.js';
import { result, type VerifyCheck } from '../check.js';
import type { SiteAccess } from '../http.js';
import { HttpSession } from '../http.js';
import { runValidationCheck } from './from-validation.js';

/**
 * Verification "SSL certificate valid": the validation TLS probe again (validity, name, chain to a trusted
 * root, key matches; src/checks/tls.ts), plus: plain http:// redirects to https://.
 */
export const tlsCheck: VerifyCheck = {
  id: 'tls',
  item: 'verify.tls',
  title: 'TLS certificate',
  async run(ctx) {
    const url = new URL(ctx.site.url);
    if (url.protocol !== 'https:') {
      return [
        result(
          'verify.tls',
          'tls',
          'fail',
          `the site URL is ${url.protocol}//`,
          'serve the site over HTTPS (plan site.url https://...)',
        ),
      ];
    }
    return [
      ...(await runValidationCheck(validationTls, 'verify.tls', ctx)),
      await httpRedirect(ctx.site, ctx.plan.site.httpPort),
    ];
  },
};

async function httpRedirect(site: SiteAccess, httpPort: number) {
  const u = new URL(site.url);
  const plain = `http://${u.hostname}${httpPort === 80 ? '' : `:${httpPort}`}/`;
  try {
    const r = await new HttpSession({ ...site, url: plain }).request(plain, { follow: false });
    const to = String(r.headers.location ?? '');
    if (r.status >= 300 && r.status < 400 && to.startsWith('https://')) {
      return result('verify.tls', 'tls.http-redirect', 'pass', `${plain} -> ${r.status} ${to}`);
    }
    return result(
      'verify.tls',
      'tls.http-redirect',
      'fail',
      `${plain} answered ${r.status} without a redirect to https`,
      'redirect every http:// request to https:// (301)',
    );
  } catch (e) {
    return result(
      'verify.tls',
      'tls.http-redirect',
      'warn',
      `${plain} not reachable: ${(e as Error).message}`,
      'port 80 closed: fine if the firewall blocks it, else add the 301 redirect',
    );
  }
}
