import type { PlanInput } from '../../../src/core/plan.js';

/**
 * A plan with every optional field filled with a plausible value, so every string field of the schema has a
 * benign value to turn hostile. Paths live under `dir` so the real servers' config tests find the files.
 */
export function benignPlan(dir: string): PlanInput {
  return {
    client: 'acme',
    clientName: 'ACME SARL',
    id: 'acme-2026-12',
    kind: 'new',
    environment: 'production',
    description: 'A fresh install for ACME',
    requirements: 'The statement of work',
    dolibarr: {
      version: '20.0.2',
      release: '/srv/releases/dolibarr-20.0.2.tgz',
      sha256: 'a'.repeat(64),
      upgradeFrom: '19.0.4',
    },
    target: {
      host: 'crm-host.acme.test',
      port: 22,
      user: 'deploy',
      identityFile: '/home/deploy/.ssh/id_ed25519',
      knownHostsFile: '/home/deploy/.ssh/known_hosts',
      sudo: true,
      root: `${dir}/root`,
      dataRoot: `${dir}/documents`,
      backupRoot: `${dir}/backups`,
      webUser: 'www-data',
      webGroup: 'www-data',
      webServer: 'nginx',
      webConfigDir: `${dir}/sites`,
      phpFpmPoolDir: `${dir}/pool.d`,
      phpFpmService: 'php8.2-fpm',
      phpFpmSocket: `${dir}/php.sock`,
      serviceManager: 'systemd',
      cronDir: `${dir}/cron.d`,
    },
    site: {
      domain: 'crm.acme.test',
      url: 'https://crm.acme.test',
      listen: ['127.0.0.1', '::1'],
      tls: { certificate: `${dir}/tls/cert.pem`, key: `${dir}/tls/key.pem`, chain: `${dir}/tls/chain.pem` },
    },
    database: {
      type: 'mariadb',
      host: 'db.acme.test',
      port: 3306,
      socket: '/run/mysqld/mysqld.sock',
      name: 'acme_crm',
      user: 'acme',
      password: { secret: 'acme/db' },
      admin: { user: 'dbadmin', password: { secret: 'acme/dbadmin' } },
    },
    company: {
      name: 'ACME SARL',
      country: 'FR',
      address: '1 rue de la Paix',
      zip: '75001',
      town: 'Paris',
      email: 'contact@acme.test',
      phone: '+33 1 23 45 67 89',
      currency: 'EUR',
    },
    email: {
      from: 'crm@acme.test',
      smtpHost: 'smtp.acme.test',
      smtpPort: 587,
      testRecipient: 'qa@acme.test',
    },
    admin: { login: 'admin', password: { secret: 'acme/admin' } },
    users: [
      {
        login: 'alice',
        firstname: 'Alice',
        lastname: 'Martin',
        email: 'alice@acme.test',
        admin: false,
        password: { secret: 'acme/alice' },
        rights: ['societe.lire'],
      },
    ],
    modules: ['modSociete'],
    customModules: [{ name: 'mokoinvoice', source: '/srv/modules/mokoinvoice.tgz', sha256: 'b'.repeat(64) }],
    data: [{ object: 'thirdparties', file: 'exports/companies.csv', mapping: 'default:crm-companies' }],
    entities: [{ id: 1, label: 'Main entity' }],
    integrations: [
      { id: 'mail', kind: 'email', endpoint: 'https://api.acme.test/mail', description: 'Mail relay' },
    ],
    window: { start: '2026-12-12T20:00:00Z', end: '2026-12-13T00:00:00Z', timezone: 'Europe/Paris' },
    people: {
      'deployment-manager': 'dave',
      'technical-lead': 'tina',
      'client-success-manager': 'carla',
      qa: 'quinn',
    },
    validation: { maxAgeHours: 24 },
    rollbackOnCriticalFailure: true,
    recovery: { backup: '20261205203000' },
  };
}

/** The payloads of issue 12, and how each turns a benign value hostile. */
export const payloads: Record<string, (benign: string) => string> = {
  newline: (b) => `${b}\n* * * * * root touch /tmp/pwned`,
  semicolon: (b) => `${b}; touch /tmp/pwned; #`,
  'single quote': (b) => `${b}'x`,
  'double quote': (b) => `${b}"x`,
  backtick: (b) => `${b}\`id\``,
  'command substitution': (b) => `${b}$(id)`,
  percent: (b) => `${b}%x`,
  braces: (b) => `${b} { root /; }`,
  hash: (b) => `${b}#x`,
  nul: (b) => `${b}\0x`,
  'dot-dot': (b) => (b.includes('/') ? `${b}/../../etc` : `${b}..`),
  'leading dash': (b) => `-${b}`,
  // not in the list: the characters that matter to HTML, for the reports
  markup: (b) => `${b}<img src=x onerror=alert(1)>&amp;`,
};
