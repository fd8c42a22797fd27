import { X509Certificate } from 'node:crypto';
import { connect, type DetailedPeerCertificate } from 'node:tls';

export type ServedChain =
  { ok: true; chain: X509Certificate[] } | { ok: false; reason: string; refused: boolean };

/** The certificate chain a server sends for `servername` (SNI), in the order sent, without judging it. */
export function fetchServedChain(
  address: string,
  port: number,
  servername: string,
  timeoutMs = 10_000,
): Promise<ServedChain> {
  return new Promise((resolve) => {
    const socket = connect({
      host: address,
      port,
      servername,
      rejectUnauthorized: false,
      timeout: timeoutMs,
    });
    const done = (r: ServedChain) => {
      socket.destroy();
      resolve(r);
    };
    socket.once('secureConnect', () => {
      const chain: X509Certificate[] = [];
      const seen = new Set<string>();
      let cert: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
      while (cert?.raw && !seen.has(cert.fingerprint256)) {
        seen.add(cert.fingerprint256);
        chain.push(new X509Certificate(cert.raw));
        cert = cert.issuerCertificate;
      }
      // Node appends the trusted root it found; keep only what the server sent is not knowable here,
      // so the caller judges completeness by issuer links, which is what clients do.
      done(
        chain.length
          ? { ok: true, chain }
          : { ok: false, reason: 'the server sent no certificate', refused: false },
      );
    });
    socket.once('timeout', () =>
      done({
        ok: false,
        reason: `no TLS handshake within ${timeoutMs / 1000} s on ${address}:${port}`,
        refused: false,
      }),
    );
    socket.once('error', (e: NodeJS.ErrnoException) =>
      done({
        ok: false,
        reason: `TLS connection to ${address}:${port} failed: ${e.code ?? e.message}`,
        refused: e.code === 'ECONNREFUSED' || /wrong version|alert/i.test(e.message),
      }),
    );
  });
}
