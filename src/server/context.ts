import type { AppContext } from '../app/context.js';
import type { Actor } from '../core/team.js';
import type { LoginLimiter } from './login-limiter.js';
import type { PasswordFile } from './passwords.js';
import type { SessionRevocations } from './session-revocations.js';
import type { Flash } from '../web/notice.js';

/** What every route needs, passed explicitly (STYLE.md 9). */
export interface ServerContext {
  app: AppContext;
  passwords: PasswordFile;
  limiter: LoginLimiter;
  /** Sessions ended by logout: a copy of their cookie no longer works. */
  sessions: SessionRevocations;
  /** Served over TLS: cookies are Secure and HSTS is sent. */
  tls: boolean;
  /** The key the per-person calendar feed tokens are made with (the session key, see calendar-feed.ts). */
  feedKey: Buffer;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The logged-in person, resolved from the team file on every request (roles can change). */
    user: Actor | null;
  }
}

declare module '@fastify/secure-session' {
  interface SessionData {
    login: string;
    /** Which password the session was opened with (a digest of its hash): a reset ends older sessions. */
    passwordVersion: string;
    /** This session's id, so logout can end it on the server (session-revocations.ts). */
    sid: string;
    /** When it started (ms), so its revocation is kept exactly as long as the cookie could live. */
    startedAt: number;
    _csrf: string;
    /** What the last form did, for the page it redirects to (src/web/notice.ts). */
    flash?: Flash;
  }
}
