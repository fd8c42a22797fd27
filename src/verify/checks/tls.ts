import { connect, type PeerCertificate } from 'node:tls';
import { result, type VerifyCheck } from '../check.js';
import type { SiteAccess } from '../http.js';
import { HttpSession } from '../http.js';

/**
 * Verification "SSL certificate valid": the chain verifies (public CAs, or the given private CA), the
 * name matches the site, it is not about to expire, and plain http:// redirects to https://.
 */
const warnDays = 21;

interface Peer {
  authorized: boolean;
  error?: string;
  cert: PeerCertificate;
  protocol: string | null;
}

function handshake(site: SiteAccess): Promise<Peer> {
  const url = new URL(site.url);
  return new Promise((resolve, reject) => {
    const socket = connect(
      {
        host: site.address ?? url.hostname,
        port: Number(url.port || 443),
        servername: url.hostname,
        ca: site.ca,
        rejectUnauthorized: false,
        timeout: 15_000,
      },
      () => {
        const err = socket.authorizationError ? String(socket.authorizationError) : undefined;
        resolve({
          authorized: socket.authorized,
          error: err,
          cert: socket.getPeerCertificate(),
          protocol: socket.getProtocol(),
        });
        socket.end();
      },
    );
    socket.on('timeout', () => socket.destroy(new Error(`TLS handshake with ${url.host} timed out`)));
    socket.on('error', reject);
  });
}

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
    const peer = await handshake(ctx.site);
    const days = Math.floor((Date.parse(peer.cert.valid_to) - ctx.now.getTime()) / 86_400_000);
    const seen = `${peer.cert.subject?.CN ?? '?'} issued by ${peer.cert.issuer?.CN ?? '?'}, ${peer.protocol}, expires ${peer.cert.valid_to} (${days} days)`;
    const out = [];
    if (!peer.authorized) {
      out.push(
        result(
          'verify.tls',
          'tls.chain',
          'fail',
          seen,
          `the certificate does not verify: ${peer.error}; install the full chain (certificate + intermediates) from a trusted CA`,
        ),
      );
    } else if (days < warnDays) {
      out.push(
        result('verify.tls', 'tls.chain', 'warn', seen, `renew the certificate: it expires in ${days} days`),
      );
    } else out.push(result('verify.tls', 'tls.chain', 'pass', seen));
    out.push(await httpRedirect(ctx.site, ctx.plan.site.httpPort));
    return out;
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
