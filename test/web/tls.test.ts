import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCertificate } from '../helpers/services/certificate.js';
import { startDashboard, type Dashboard } from './helpers/dashboard.js';

let d: Dashboard;
let ca: Buffer;
beforeAll(async () => {
  const cert = makeCertificate({ cn: 'localhost', altNames: ['localhost'] });
  ca = readFileSync(cert.caPath);
  d = await startDashboard({
    https: { cert: readFileSync(cert.fullchainPath), key: readFileSync(cert.keyPath) },
  });
});
afterAll(async () => d?.close());

function get(
  path: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  const url = new URL(path, d.url);
  return new Promise((done, fail) => {
    request({ host: '127.0.0.1', port: url.port, path, ca, servername: 'localhost' }, (res) => {
      res.resume();
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers }));
    })
      .on('error', fail)
      .end();
  });
}

describe('over TLS', () => {
  it('sends HSTS and marks the session cookie Secure', async () => {
    expect(d.url).toMatch(/^https:/);
    const res = await get('/api/session');
    expect(res.status).toBe(200);
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(String(res.headers['set-cookie'])).toMatch(/; Secure/i);
  });
});
