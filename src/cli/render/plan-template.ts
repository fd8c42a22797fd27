/** The plan `mokodeploy init CLIENT` writes: every field a deployment needs, for a local target. */
export function renderPlanTemplate(client: string, now: Date): string {
  const month = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 7, 20, 0));
  const end = new Date(start.getTime() + 4 * 3_600_000);
  return `# Deployment plan for ${client} (MokoCRM Client Deployment Policy).
# Editor completion: mokodeploy plan schema > plan.schema.json, then point your YAML editor at it.
client: ${client}
clientName: ${client.toUpperCase()} Ltd
id: ${client}-${month}
kind: new                 # new | upgrade | customization | data-migration | integration | multi-entity | disaster-recovery
environment: production   # production | staging | internal | poc (the policy applies to production)
requirements: Client requirements are documented in the statement of work.
dolibarr:
  version: 20.0.2
  release: /srv/releases/dolibarr-20.0.2.tgz
target:
  host: local             # or a hostname reached over SSH (user, port, identityFile, knownHostsFile)
  root: /var/www/mokocrm/${client}
  dataRoot: /var/lib/mokocrm/${client}/documents
  backupRoot: /var/backups/mokocrm/${client}
  webServer: nginx
site:
  domain: crm.${client}.example
  url: https://crm.${client}.example
  tls:
    certificate: /etc/ssl/mokocrm/${client}.crt
    key: /etc/ssl/mokocrm/${client}.key
database:
  name: mokocrm_${client.replace(/-/g, '_')}
  user: mokocrm_${client.replace(/-/g, '_').slice(0, 20)}
  password: { secret: ${client}/db }
company:
  name: ${client.toUpperCase()} Ltd
  country: FR
admin:
  login: admin
  password: { secret: ${client}/admin }
modules: [modSociete, modProduct, modApi]
window:
  start: ${start.toISOString()}
  end: ${end.toISOString()}
  timezone: UTC
people:
  technical-lead: tina
  deployment-manager: dave
  client-success-manager: carla
  qa: quinn
`;
}

export const teamTemplate = `# The deployment team: logins act with --as or MOKODEPLOY_AS.
people:
  - { login: tina, name: Tina Tech, roles: [technical-lead] }
  - { login: dave, name: Dave Manager, roles: [deployment-manager] }
  - { login: dora, name: Dora Manager, roles: [deployment-manager] }
  - { login: carla, name: Carla Success, roles: [client-success-manager] }
  - { login: quinn, name: Quinn QA, roles: [qa] }
`;
