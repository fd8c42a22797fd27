import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';

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

export interface Outage {
  from: string;
  seconds: number;
  /** What was seen: an HTTP status or an error code. */
  seen: string;
}

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
  const outages: Outage[] = [];
  let samples = 0;
  let failed = 0;
  let down: { since: number; seen: string } | undefined;
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = Date.now();
      const seen = await probeOnce(o);
      samples++;
      if (seen === '200') {
        if (down)
          outages.push({
            from: new Date(down.since).toISOString(),
            seconds: (started - down.since) / 1000,
            seen: down.seen,
          });
        down = undefined;
      } else {
        failed++;
        down ??= { since: started, seen };
      }
      await new Promise((r) => setTimeout(r, o.intervalMs ?? 100));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      if (down)
        outages.push({
          from: new Date(down.since).toISOString(),
          seconds: (Date.now() - down.since) / 1000,
          seen: down.seen,
        });
      const total = outages.reduce((s, x) => s + x.seconds, 0);
      return { downtimeSeconds: Math.round(total * 1000) / 1000, samples, failedSamples: failed, outages };
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
