import { result, type VerifyCheck } from '../check.js';
import type { VerifyContext } from '../context.js';

/**
 * Verification "Caching configured": OPcache enabled for PHP-FPM (the SAPI that serves Dolibarr; php-cli's
 * setting says nothing about it), read with `php-fpmX.Y -i`, and not switched off in the client's pool.
 */
async function fpmInfo(ctx: VerifyContext): Promise<{ binary: string; info: string } | undefined> {
  const found = await ctx.host.run({
    argv: ['sh', '-c', 'ls /usr/sbin/php-fpm* 2>/dev/null | sort -V | tail -n 1'],
  });
  const binary = found.stdout.trim();
  if (!binary) return undefined;
  const r = await ctx.host.run({ argv: [binary, '-i'], timeoutMs: 30_000 });
  return r.code === 0 ? { binary, info: r.stdout } : undefined;
}

/** The pool files' opcache.enable lines; "$1" is the pool directory. */
export const poolOpcacheScript = 'cat -- "$1"/*.conf 2>/dev/null | grep -i "opcache.enable\\]" || true';

export function opcacheOn(info: string): boolean | undefined {
  if (!/Zend OPcache/i.test(info)) return false;
  const m = /^opcache\.enable => (On|Off)/m.exec(info);
  return m ? m[1] === 'On' : undefined;
}

export const cachingCheck: VerifyCheck = {
  id: 'caching',
  item: 'verify.caching',
  title: 'OPcache',
  async run(ctx) {
    const fpm = await fpmInfo(ctx);
    if (!fpm)
      return [
        result(
          'verify.caching',
          'caching.opcache',
          'fail',
          'no php-fpm binary found on the target',
          'install php-fpm (Dolibarr is served by PHP-FPM)',
        ),
      ];
    const pool = ctx.plan.target.phpFpmPoolDir
      ? await ctx.host.run({
          // the directory is a positional parameter, never spliced into the script (issue 12)
          argv: ['sh', '-c', poolOpcacheScript, 'caching', ctx.plan.target.phpFpmPoolDir],
        })
      : undefined;
    const poolOff = /opcache\.enable\]\s*=\s*(0|off)/i.test(pool?.stdout ?? '');
    const on = opcacheOn(fpm.info) && !poolOff;
    const seen = `${fpm.binary}: OPcache ${on ? 'on' : 'off'}${poolOff ? ' (switched off in the pool)' : ''}`;
    return [
      on
        ? result('verify.caching', 'caching.opcache', 'pass', seen)
        : result(
            'verify.caching',
            'caching.opcache',
            'fail',
            seen,
            'enable OPcache for PHP-FPM: apt install php-opcache; opcache.enable=1 in the fpm php.ini; reload php-fpm',
          ),
    ];
  },
};

/** "CDN configured (if applicable)": the plan has no CDN field, so it is not applicable. */
export const cdnCheck: VerifyCheck = {
  id: 'cdn',
  item: 'verify.cdn',
  title: 'CDN',
  async run() {
    return [result('verify.cdn', 'cdn', 'skip', 'no CDN in the plan (optional item)')];
  },
};
