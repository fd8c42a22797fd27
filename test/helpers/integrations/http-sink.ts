import { createServer, type Server } from 'node:http';
import { freePort } from '../services/process.js';

/** One request as the sink received it: method, path, headers, raw body (parsed when it is JSON). */
export interface SinkRequest {
  method: string;
  path: string;
  contentType: string;
  userAgent: string;
  body: string;
  json?: unknown;
}

export interface HttpSink {
  /** http://127.0.0.1:<port> (no trailing slash). */
  url: string;
  requests: SinkRequest[];
  /** Status answered from now on (default 200). */
  answer(status: number): void;
  stop(): Promise<void>;
}

/**
 * A loopback HTTP server that records every request, whatever its method or body (issue 17: the target of Dolibarr's
 * outgoing webhooks, or the external system an api integration checks). Answers `{"ok":true}` with the status set.
 */
export async function startHttpSink(): Promise<HttpSink> {
  const requests: SinkRequest[] = [];
  let status = 200;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      let json: unknown;
      try {
        json = body ? JSON.parse(body) : undefined;
      } catch {
        json = undefined;
      }
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        contentType: req.headers['content-type'] ?? '',
        userAgent: req.headers['user-agent'] ?? '',
        body,
        json,
      });
      res.writeHead(status, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answer: (s) => (status = s),
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
