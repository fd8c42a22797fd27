import type { AppContext } from '../cli/app.js';
import type { Actor } from '../core/team.js';
import type { LoginLimiter } from './login-limiter.js';
import type { PasswordFile } from './passwords.js';

/** What every route needs, passed explicitly (STYLE.md 9). */
export interface ServerContext {
  app: AppContext;
  passwords: PasswordFile;
  limiter: LoginLimiter;
  /** Served over TLS: cookies are Secure and HSTS is sent. */
  tls: boolean;
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
    _csrf: string;
  }
}
