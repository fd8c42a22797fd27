import type { Plan } from '../core/plan.js';
import { esc } from './html.js';

/**
 * The system architecture diagram of the handoff pack, drawn from the plan (no external tool): who reaches
 * what, on which port, and where code, configuration, data, backups and scheduled jobs live on the server.
 */
interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
  title: string;
  lines: string[];
  fill?: string;
}

const W = 780;

/** Long paths keep their end (the part that names the thing), so they fit the box. */
function fit(text: string, width: number, size: number): string {
  const max = Math.floor((width - 14) / (size * 0.58));
  return text.length <= max ? text : `…${text.slice(text.length - max + 1)}`;
}

function box(b: Box): string {
  const text = [b.title, ...b.lines]
    .map((t, i) => fit(t, b.w, i === 0 ? 12 : 10))
    .map(
      (t, i) =>
        `<text x="${b.x + 8}" y="${b.y + 18 + i * 14}" font-size="${i === 0 ? 12 : 10}" font-weight="${i === 0 ? 'bold' : 'normal'}">${esc(t)}</text>`,
    )
    .join('');
  return `<rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" rx="6" fill="${b.fill ?? '#eef3f8'}" stroke="#0b3d63"/>${text}`;
}

function arrow(x1: number, y1: number, x2: number, y2: number, label = ''): string {
  const mid = label
    ? `<text x="${(x1 + x2) / 2 + 6}" y="${(y1 + y2) / 2 + 4}" font-size="9.5" fill="#394655">${esc(label)}</text>`
    : '';
  return `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="#394655" stroke-width="1.4" marker-end="url(#arrow)"/>${mid}`;
}

export function architectureSvg(plan: Plan): string {
  const t = plan.target;
  const web = t.webServer === 'nginx' ? 'nginx' : 'Apache';
  const server = t.host === 'local' ? 'this server' : t.host;
  const integrations = plan.integrations.map(
    (i) => `${i.id} (${i.kind})${i.endpoint ? ` ${new URL(i.endpoint).host}` : ''}`,
  );
  const mods = plan.customModules.map((m) => m.name);
  const parts = [
    box({
      x: 20,
      y: 20,
      w: 200,
      h: 52,
      title: 'Users (web browser)',
      lines: [`https://${plan.site.domain}`],
      fill: '#fff7e6',
    }),
    box({ x: 20, y: 110, w: W - 40, h: 430, title: `Server ${server}`, lines: [], fill: '#fbfcfd' }),
    box({
      x: 40,
      y: 150,
      w: 220,
      h: 80,
      title: `${web} (site ${plan.site.domain})`,
      lines: [
        `HTTPS :${plan.site.httpsPort} (TLS, security headers)`,
        `HTTP :${plan.site.httpPort} -> 301 HTTPS`,
        'denies conf/, install/, dotfiles',
      ],
    }),
    box({
      x: 300,
      y: 150,
      w: 200,
      h: 80,
      title: `PHP-FPM pool mokocrm-${plan.client}`,
      lines: [`runs as ${t.webUser}`, 'OPcache on, exec functions off'],
    }),
    box({
      x: 540,
      y: 150,
      w: 200,
      h: 110,
      title: `Dolibarr ${plan.dolibarr.version}`,
      lines: [
        `${t.root}/current`,
        '-> releases/<version>-<stamp>',
        `custom: ${mods.join(', ') || 'none'}`,
        `conf: shared/conf/conf.php (0440)`,
      ],
    }),
    box({
      x: 540,
      y: 300,
      w: 200,
      h: 70,
      title: `${plan.database.type === 'mysql' ? 'MySQL' : 'MariaDB'} ${plan.database.name}`,
      lines: [`${plan.database.host}:${plan.database.port}`, `account ${plan.database.user}`],
    }),
    box({
      x: 300,
      y: 300,
      w: 200,
      h: 70,
      title: 'Documents (data root)',
      lines: [t.dataRoot, `owned by ${t.webUser}, outside web root`],
    }),
    box({
      x: 40,
      y: 300,
      w: 220,
      h: 70,
      title: 'Scheduled jobs (cron)',
      lines: ['php cron_run_jobs.php every 5 min', `on ${t.root}/current as ${t.webUser}`],
    }),
    box({
      x: 40,
      y: 410,
      w: 220,
      h: 60,
      title: 'Backups',
      lines: [t.backupRoot, `dump of ${plan.database.name} + documents, sha256`],
    }),
    box({
      x: 300,
      y: 410,
      w: 200,
      h: 60,
      title: 'Outgoing mail (SMTP)',
      lines: plan.email
        ? [`${plan.email.smtpHost}:${plan.email.smtpPort}`, `from ${plan.email.from}`]
        : ['not configured'],
    }),
    box({
      x: 540,
      y: 410,
      w: 200,
      h: 60 + Math.max(0, integrations.length - 2) * 14,
      title: 'Integrations',
      lines: integrations.length ? integrations : ['none planned'],
    }),
    arrow(120, 72, 120, 150, `HTTPS :${plan.site.httpsPort}`),
    arrow(260, 190, 300, 190, 'FastCGI'),
    arrow(500, 190, 540, 190),
    arrow(640, 260, 640, 300, 'SQL'),
    arrow(560, 260, 420, 300, 'files'),
    arrow(590, 260, 485, 410, 'mail'),
  ];
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} 560" width="${W}" height="560" font-family="DejaVu Sans, Arial, sans-serif" role="img" aria-label="System architecture of ${esc(plan.clientName)}">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#394655"/></marker></defs>
${parts.join('\n')}
</svg>`;
}
