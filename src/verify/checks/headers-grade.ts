import { securityHeaders } from '../../webserver/security-headers.js';

/**
 * Grading of security headers, after the MDN HTTP Observatory's rules and scale (its scanner,
 * @mdn/mdn-http-observatory, pulls in PostgreSQL and Sentry clients, so the few rules that matter for
 * one site are written here): each header has a verdict and the exact line to add when it is wrong.
 */
export interface HeaderVerdict {
  name: string;
  ok: boolean;
  severity: 'fail' | 'warn' | 'pass';
  seen?: string;
  problem?: string;
  /** Points as the Observatory counts them (negative = deduction). */
  points: number;
}

type Headers = Record<string, string | string[] | undefined>;
const get = (h: Headers, name: string) => {
  const v = h[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
};

const bad = (
  name: string,
  seen: string | undefined,
  problem: string,
  points: number,
  severity: 'fail' | 'warn' = 'fail',
): HeaderVerdict => ({ name, ok: false, severity, seen, problem, points });
const good = (name: string, seen: string, points = 0): HeaderVerdict => ({
  name,
  ok: true,
  severity: 'pass',
  seen,
  points,
});

export function gradeHeaders(h: Headers): HeaderVerdict[] {
  const out: HeaderVerdict[] = [];
  const hsts = get(h, 'Strict-Transport-Security');
  const maxAge = Number(/max-age=(\d+)/i.exec(hsts ?? '')?.[1] ?? NaN);
  if (!hsts) out.push(bad('Strict-Transport-Security', hsts, 'missing', -20));
  else if (!(maxAge >= 15_768_000))
    out.push(bad('Strict-Transport-Security', hsts, 'max-age below six months (15768000)', -20));
  else out.push(good('Strict-Transport-Security', hsts));

  const csp = get(h, 'Content-Security-Policy');
  if (!csp) out.push(bad('Content-Security-Policy', csp, 'missing', -25));
  else if (!/default-src/i.test(csp)) out.push(bad('Content-Security-Policy', csp, 'no default-src', -25));
  else if (/'unsafe-(inline|eval)'/.test(csp) && /script-src[^;]*'unsafe-/.test(csp))
    out.push(
      bad(
        'Content-Security-Policy',
        csp,
        "scripts allow 'unsafe-inline'/'unsafe-eval' (Dolibarr needs them; keep the rest strict)",
        -20,
        'warn',
      ),
    );
  else out.push(good('Content-Security-Policy', csp, 5));

  const xfo = get(h, 'X-Frame-Options');
  const ancestors = /frame-ancestors\s+([^;]+)/i.exec(csp ?? '')?.[1]?.trim();
  if (ancestors && !/\*/.test(ancestors))
    out.push(
      good(
        'frame-ancestors / X-Frame-Options',
        `frame-ancestors ${ancestors}${xfo ? `; X-Frame-Options ${xfo}` : ''}`,
        5,
      ),
    );
  else if (xfo && /^(deny|sameorigin)$/i.test(xfo.trim()))
    out.push(good('frame-ancestors / X-Frame-Options', `X-Frame-Options ${xfo}`));
  else out.push(bad('frame-ancestors / X-Frame-Options', xfo, 'framing not restricted (clickjacking)', -20));

  const xcto = get(h, 'X-Content-Type-Options');
  if (xcto?.trim().toLowerCase() !== 'nosniff')
    out.push(bad('X-Content-Type-Options', xcto, xcto ? 'not "nosniff"' : 'missing', -5));
  else out.push(good('X-Content-Type-Options', xcto));

  const rp = get(h, 'Referrer-Policy');
  if (!rp) out.push(bad('Referrer-Policy', rp, 'missing', 0));
  else if (/unsafe-url|no-referrer-when-downgrade/i.test(rp))
    out.push(bad('Referrer-Policy', rp, 'leaks full URLs to other sites', -5));
  else out.push(good('Referrer-Policy', rp, 5));

  const pp = get(h, 'Permissions-Policy');
  if (!pp)
    out.push(bad('Permissions-Policy', pp, 'missing (camera, microphone, geolocation… not restricted)', 0));
  else out.push(good('Permissions-Policy', pp));
  return out;
}

/** Observatory scale: score from 100 plus/minus points, then the letter. */
export function scoreOf(verdicts: HeaderVerdict[]): { score: number; grade: string } {
  const score = Math.max(0, 100 + verdicts.reduce((s, v) => s + v.points, 0));
  const scale: [number, string][] = [
    [100, 'A+'],
    [90, 'A'],
    [85, 'A-'],
    [80, 'B+'],
    [70, 'B'],
    [65, 'B-'],
    [60, 'C+'],
    [50, 'C'],
    [45, 'C-'],
    [40, 'D+'],
    [30, 'D'],
    [25, 'D-'],
  ];
  return { score, grade: scale.find(([min]) => score >= min)?.[1] ?? 'F' };
}

/** The line to put in the web server site so the header is right (values from src/webserver). */
export function fixFor(name: string, server: 'nginx' | 'apache'): string {
  const names = name.startsWith('frame-ancestors') ? ['Content-Security-Policy', 'X-Frame-Options'] : [name];
  return securityHeaders()
    .filter((h) => names.includes(h.name))
    .map((h) =>
      server === 'nginx'
        ? `add_header ${h.name} "${h.value}" always;`
        : `Header always set ${h.name} "${h.value}"`,
    )
    .join(' and ');
}
