import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { OutageLog, totalSeconds, type Outage } from './outage-log.js';

/**
 * Downtime, measured (policy "Deployment Metrics: downtime duration"; issue 5): a prober polls the site's login
 * page through the whole run and counts the time it does not answer 200 — from the start of the first failing
 * request to the start of the next good one. Redirects, 503 (maintenance), 5xx, timeouts and refused connections
 * all count as down. `address` and `ca` reach a site whose DNS or CA is not public (as for the health check).
 */
export interface ProbeOptions {
  url: string;
  address?: string;
  ca?: string | Buffer;
  /** Pause between two requests (default 100 ms). */
  intervalMs?: number;
  /** A request slower than this counts as down (default 5 s). */
  timeoutMs?: number;
}

export type { Outage } from './outage-log.js';

export interface DowntimeReport {
  downtimeSeconds: number;
  samples: number;
  failedSamples: number;
  outages: Outage[];
}

export interface DowntimeProbe {
  stop(): Promise<DowntimeReport>;
}

export function startDowntimeProbe(o: ProbeOptions): DowntimeProbe {
  const log = new OutageLog();
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = Date.now();
      const seen = await probeOnce(o);
      log.record(started, seen === '200' ? undefined : seen);
      await new Promise((r) => setTimeout(r, o.intervalMs ?? 100));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      const outages = log.close();
      return { downtimeSeconds: totalSeconds(outages), samples: log.samples, failedSamples: log.failed, outages };
    },
  };
}

/** One GET of the site's root: the HTTP status as text, or the error's code. */
export function probeOnce(o: ProbeOptions): Promise<string> {
  const url = new URL(o.url);
  const secure = url.protocol === 'https:';
  const request = secure ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = request(
      {
        host: o.address ?? url.hostname,
        port: url.port || (secure ? 443 : 80),
        path: `${url.pathname.replace(/\/?$/, '/')}`,
        method: 'GET',
        headers: { Host: url.host, 'User-Agent': 'mokodeploy-downtime-probe' },
        servername: url.hostname,
        ca: o.ca,
        agent: false,
        timeout: o.timeoutMs ?? 5000,
      },
      (res) => {
        res.resume();
        res.once('end', () => resolve(String(res.statusCode)));
        res.once('error', () => resolve(String(res.statusCode)));
      },
    );
    req.once('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'ERROR'));
    req.end();
  });
}
