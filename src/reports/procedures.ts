import type { Plan } from '../core/plan.js';
import { adminLoginAfterRecovery } from '../steps/restore/admin-login.js';
import { code, dl, esc, link, section, table } from './html.js';

/**
 * The operational part of the handoff pack (policy "Client Handoff / Operational Documentation"): admin guide,
 * user management, backup, update and troubleshooting procedures, written with this client's real paths,
 * names and commands. `id` is the deployment id the mokodeploy commands act on.
 */
const paths = (p: Plan) => ({
  current: `${p.target.root}/current`,
  conf: `${p.target.root}/shared/conf/conf.php`,
  cron: `/etc/cron.d/mokocrm-${p.client}`,
  site:
    p.target.webServer === 'nginx'
      ? `${p.target.webConfigDir ?? '/etc/nginx/sites-enabled'}/mokocrm-${p.client}.conf`
      : `${p.target.webConfigDir ?? '/etc/apache2/sites-enabled'}/mokocrm-${p.client}.conf`,
  log: p.target.webServer === 'nginx' ? '/var/log/nginx/error.log' : '/var/log/apache2/error.log',
});

export function adminGuide(p: Plan): string {
  const f = paths(p);
  return section(
    'admin-guide',
    'Admin user guide',
    [
      dl([
        ['Address', p.site.url],
        ['Administrator login', p.admin.login],
        ...(p.kind === 'disaster-recovery'
          ? [['Administrator password', adminLoginAfterRecovery(p)] as [string, string]]
          : []),
        ['Company', `${p.company.name} (${p.company.country})`],
        ['Modules enabled', ['modSociete', 'modProduct', 'modCron', ...p.modules].join(', ')],
        ['Custom modules', p.customModules.map((m) => m.name).join(', ') || 'none'],
      ]),
      '<h3>Everyday administration</h3>',
      '<ul><li>Company details: Home &gt; Setup &gt; Company/Organization.</li><li>Modules: Home &gt; Setup &gt; Modules/Applications (ask MokoCRM before enabling a module on production).</li>',
      `<li>Outgoing mail: Home &gt; Setup &gt; Emails (sent via ${esc(p.email ? `${p.email.smtpHost}:${p.email.smtpPort} from ${p.email.from}` : 'not configured yet')}).</li>`,
      `<li>Scheduled jobs: Home &gt; Setup &gt; Scheduled jobs; the server runs them every 5 minutes (${esc(f.cron)}).</li>`,
      '<li>Security: passwords are stored as password_hash; keep install.lock in place; never make conf.php writable.</li></ul>',
    ].join('\n'),
  );
}

export function userManagement(p: Plan): string {
  return section(
    'user-management',
    'User management procedures',
    [
      '<ol><li>Create: Home &gt; Users &amp; Groups &gt; New user; set login, name, email; tick "Administrator" only for administrators.</li>',
      '<li>Rights: on the user card, tab Permissions; prefer groups (Users &amp; Groups &gt; Groups) for teams.</li>',
      '<li>Leaver: disable the user (status Disabled) the day they leave; do not delete (history keeps their name).</li>',
      '<li>Password reset: user card &gt; Modify &gt; password, or "Password forgotten" on the login page when mail works.</li></ol>',
      '<h3>Users created at deployment</h3>',
      table(
        ['Login', 'Name', 'Administrator', 'Rights'],
        p.users.map((u) => [
          u.login,
          [u.firstname, u.lastname].filter(Boolean).join(' '),
          u.admin ? 'yes' : 'no',
          u.rights.join(', ') || '-',
        ]),
        'only the administrator',
      ),
    ].join('\n'),
  );
}

export function backupProcedure(id: string, p: Plan): string {
  const db = p.database;
  return section(
    'backup-procedures',
    'Backup procedures',
    [
      `<p>Backups go to <code>${esc(p.target.backupRoot)}/&lt;yyyymmddHHMMSS&gt;/</code>: a dump of the database <code>${esc(db.name)}</code>, an archive of the documents <code>${esc(p.target.dataRoot)}</code> and a manifest with sha256 checksums.</p>`,
      '<h3>Take a backup now</h3>',
      code([`mokodeploy backup ${id}`]),
      '<h3>By hand (same result)</h3>',
      code([
        `STAMP=$(date -u +%Y%m%d%H%M%S); mkdir -p ${p.target.backupRoot}/$STAMP`,
        `mariadb-dump --single-transaction --routines --triggers ${db.name} | gzip > ${p.target.backupRoot}/$STAMP/${db.name}.sql.gz`,
        `tar -czf ${p.target.backupRoot}/$STAMP/documents.tgz -C ${p.target.dataRoot} .`,
        `cd ${p.target.backupRoot}/$STAMP && sha256sum * > SHA256SUMS`,
      ]),
      '<h3>Check a backup</h3>',
      code([
        `cd ${p.target.backupRoot}/<stamp> && sha256sum -c SHA256SUMS`,
        `gunzip -t ${db.name}.sql.gz && tar -tzf documents.tgz > /dev/null`,
      ]),
      '<p>Keep at least 7 daily backups and one copy off the server. Test a restore every quarter.</p>',
    ].join('\n'),
  );
}

export function updateProcedure(id: string, p: Plan): string {
  const f = paths(p);
  return section(
    'update-procedures',
    'Update procedures',
    [
      `<p>Each release is unpacked next to the running one under <code>${esc(p.target.root)}/releases/</code>; <code>${esc(f.current)}</code> is switched atomically, so the previous release stays on disk for an instant rollback. Dolibarr upgrades go one major version per pass.</p>`,
      '<ol><li>Write the new version into the plan (dolibarr.version, release, sha256) and submit it: the deployment manager approves it.</li>',
      `<li>Validate the server and take a backup: <code>mokodeploy validate ${esc(id)}</code>, <code>mokodeploy backup ${esc(id)}</code>.</li>`,
      `<li>Upgrade inside the agreed window: <code>mokodeploy upgrade ${esc(id)}</code> (maintenance page only while the database migrates).</li>`,
      `<li>Verify: <code>mokodeploy verify ${esc(id)}</code>; on a critical failure roll back: <code>mokodeploy rollback ${esc(id)}</code>.</li></ol>`,
      `<p>conf.php (<code>${esc(f.conf)}</code>) is shared by all releases and keeps its instance unique id: never regenerate it.</p>`,
    ].join('\n'),
  );
}

export function troubleshooting(id: string, p: Plan): string {
  const f = paths(p);
  const rows = [
    [
      'Blank page or HTTP 500',
      `${f.log}; PHP-FPM log; ${p.target.dataRoot}/dolibarr.log`,
      `systemctl status ${p.target.phpFpmService ?? 'php8.2-fpm'}`,
    ],
    [
      '"Setup not complete" after login',
      'company name/country not set',
      'Home > Setup > Company/Organization',
    ],
    [
      'Login refused for everyone',
      'database reachable? conf.php readable by the web group?',
      `ls -l ${f.conf} (want 0440 root:${p.target.webGroup})`,
    ],
    [
      'Install or upgrade pages reachable',
      `${p.target.dataRoot}/install.lock missing`,
      `touch ${p.target.dataRoot}/install.lock && chmod 444 ${p.target.dataRoot}/install.lock`,
    ],
    [
      'Mails not sent',
      `SMTP ${p.email ? `${p.email.smtpHost}:${p.email.smtpPort}` : '(not configured)'}`,
      'Home > Setup > Emails > send a test mail',
    ],
    [
      'Scheduled jobs not running',
      f.cron,
      `sudo -u ${p.target.webUser} php ${p.target.root}/shared/mokodeploy/run-cron-jobs.php ${f.current} firstadmin`,
    ],
    [
      'Slow pages',
      'slow-query log, OPcache, PHP-FPM pm.max_children',
      `mokodeploy verify ${id} --only page-load,queries,caching`,
    ],
    [
      'Certificate warnings',
      p.site.tls.certificate,
      `openssl x509 -enddate -noout -in ${p.site.tls.certificate}`,
    ],
  ];
  return section(
    'troubleshooting',
    'Troubleshooting guide',
    [
      table(['Symptom', 'Look at', 'Command / fix'], rows),
      '<h3>Full health check</h3>',
      code([`mokodeploy verify ${id}`, `mokodeploy validate ${id}`]),
      `<p>Web server site: <code>${esc(f.site)}</code>. Code: <code>${esc(f.current)}</code>. Documents: <code>${esc(p.target.dataRoot)}</code>.</p>`,
    ].join('\n'),
  );
}

export function userGuide(p: Plan): string {
  return section(
    'user-guide',
    'User guide (skeleton)',
    [
      `<p>Open ${link(p.site.url)} and log in with the login and password you received from your administrator.</p>`,
      '<ul><li>Third parties (customers, prospects, suppliers): menu Third parties; search with the box at the top left.</li>',
      '<li>Contacts: on a third party card, tab Contacts/Addresses.</li><li>Products and services: menu Products.</li>',
      '<li>Export a list: Tools &gt; Exports (choose the dataset, the fields, then CSV).</li><li>Attach a file: tab "Linked files" on any card.</li></ul>',
      `<p class="muted">To complete with ${esc(p.clientName)}'s own processes during training.</p>`,
    ].join('\n'),
  );
}
