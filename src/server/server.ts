import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import type { AppContext } from '../app/context.js';
import { registerAuth } from './auth.js';
import { decodeUtf8 } from '../core/yaml-input.js';
import { LoginLimiter } from './login-limiter.js';
import { SessionRevocations } from './session-revocations.js';
import { PasswordFile } from './passwords.js';
import { readOrCreateSessionKey, defaultSessionKeyFile } from './session-key.js';
import { securityHeaders } from './security-headers.js';
import { registerErrorHandlers } from './error-handler.js';
import { registerSessionRoutes } from './routes-session.js';
import { registerDeploymentApi } from './routes-api-deployments.js';
import { registerEvidenceApi } from './routes-api-evidence.js';
import { registerReportApi } from './routes-api-reports.js';
import { registerJournalStream } from './journal-stream.js';
import { registerQueueRoutes } from './routes-queue.js';
import { registerCalendarFeed } from './calendar-feed.js';
import { registerPages } from '../web/routes-pages.js';
import { registerForms } from '../web/routes-forms.js';
import type { ServerContext } from './context.js';

export interface ServerOptions {
  app: AppContext;
  /** The 32-byte key sealing session cookies (default: ~/.config/mokodeploy/session.key, 0600). */
  sessionKeyFile?: string;
  https?: { cert: Buffer; key: Buffer };
  loginPerIpPerMinute?: number;
  loginFailuresPerAccount?: number;
  journalPollMs?: number;
  /** The job queue (default: $MOKODEPLOY_QUEUE, or a postgres:// $MOKODEPLOY_STORE), opened on first use. */
  queueUrl?: string;
  logger?: boolean;
}

/** Where the dashboard's own CSS and scripts are, from src/ or dist/ alike. */
const assetsDir = resolve(import.meta.dirname, '../../src/web/assets');
const chartJsDir = dirname(createRequire(import.meta.url).resolve('chart.js'));

/** The HTTP edge: the same core as the CLI (app.act), behind sessions, CSRF and roles. */
export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const tls = Boolean(opts.https);
  const server = Fastify({
    ...(opts.https ? { https: opts.https } : {}),
    logger: opts.logger ? { level: 'info' } : false,
    forceCloseConnections: true,
    bodyLimit: 2 * 1024 * 1024,
  }) as unknown as FastifyInstance;
  const sessionKey = readOrCreateSessionKey(opts.sessionKeyFile ?? defaultSessionKeyFile());
  const ctx: ServerContext = {
    app: opts.app,
    passwords: new PasswordFile(opts.app.home),
    limiter: new LoginLimiter(opts.loginFailuresPerAccount ?? 5),
    sessions: new SessionRevocations(opts.app.home),
    tls,
    feedKey: sessionKey,
  };

  server.addHook('onSend', async (req, reply) => {
    reply.headers(securityHeaders(tls));
    if (!req.url.startsWith('/assets/') && !req.url.startsWith('/vendor/'))
      reply.header('cache-control', 'no-store');
  });
  registerErrorHandlers(server);
  await server.register(formbody);
  await server.register(multipart, {
    attachFieldsToBody: true,
    limits: { fileSize: 25 * 1024 * 1024, files: 10, fields: 100 },
  });
  server.addContentTypeParser(
    ['application/yaml', 'application/x-yaml', 'text/yaml'],
    { parseAs: 'buffer' },
    (_req, body, done) => {
      // strictly UTF-8: bytes that are not are a 400 with their place, never read as U+FFFD into a plan
      try {
        done(null, decodeUtf8(body as Buffer, 'request body', 'plan'));
      } catch (e) {
        done(e as Error, undefined);
      }
    },
  );
  await server.register(fastifyStatic, { root: assetsDir, prefix: '/assets/' });
  await server.register(fastifyStatic, {
    root: chartJsDir,
    prefix: '/vendor/',
    decorateReply: false,
    allowedPath: (path) => path === '/chart.umd.min.js',
  });
  await registerAuth(server, ctx, { sessionKey });

  const loginPerIpPerMinute = opts.loginPerIpPerMinute ?? 10;
  registerSessionRoutes(server, ctx, { loginPerIpPerMinute });
  registerDeploymentApi(server, ctx);
  registerEvidenceApi(server, ctx);
  registerReportApi(server, ctx);
  registerJournalStream(server, ctx, { pollMs: opts.journalPollMs });
  registerQueueRoutes(server, ctx, { url: opts.queueUrl, pollMs: opts.journalPollMs });
  registerCalendarFeed(server, ctx, sessionKey);
  registerPages(server, ctx);
  registerForms(server, ctx);
  return server;
}
