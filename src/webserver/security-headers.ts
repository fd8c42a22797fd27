/**
 * HTTP response headers every MokoCRM site sends (policy: Verification Checklist, security items;
 * DESIGN.md verify/). Dolibarr itself sends X-Content-Type-Options and X-Frame-Options and, when configured,
 * CSP / Referrer-Policy (htdocs/main.inc.php l.1664-1764, 20.0.2): the site replaces them so each header
 * appears once.
 * The CSP allows inline scripts/styles and eval because Dolibarr's pages rely on them (jQuery handlers
 * inlined in main.inc.php output); framing is limited to the site itself.
 */
export interface SecurityHeader {
  name: string;
  value: string;
}

export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

export function securityHeaders(): SecurityHeader[] {
  return [
    { name: 'Strict-Transport-Security', value: 'max-age=31536000; includeSubDomains' },
    { name: 'Content-Security-Policy', value: contentSecurityPolicy },
    { name: 'X-Frame-Options', value: 'SAMEORIGIN' },
    { name: 'X-Content-Type-Options', value: 'nosniff' },
    { name: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
    { name: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
  ];
}

/** Paths no client may fetch: Dolibarr's conf dir, the installer, dotfiles, SQL dumps, logs and lock files. */
export const deniedPathsDescription = 'conf/, install/, dotfiles, *.sql, *.log, *.lock (install.lock), *.dist/*.example';
