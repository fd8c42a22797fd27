import type { Check } from './finding.js';
import { phpVersionCheck } from './php-version.js';
import { phpExtensionsCheck } from './php-extensions.js';
import { phpMemoryCheck } from './php-memory.js';
import { databaseVersionCheck } from './database-version.js';
import { databaseCharsetCheck } from './database-charset.js';
import { databaseAccessCheck } from './database-access.js';
import { webServerVersionCheck } from './webserver-version.js';
import { webServerConfigCheck } from './webserver-config.js';
import { tlsCheck } from './tls.js';
import { diskCheck } from './disk.js';
import { memoryCheck } from './memory.js';
import { firewallCheck } from './firewall.js';
import { sshConfigCheck } from './ssh-config.js';
import { permissionsCheck } from './permissions.js';
import { backupsCheck } from './backups.js';
import { dnsCheck } from './dns.js';
import { mailCheck } from './mail.js';
import { mailAuthCheck } from './mail-auth.js';
import { apisCheck } from './apis.js';
import { portsCheck } from './ports.js';
import { phpHardeningCheck } from './php-hardening.js';

/** Every environment-validation check, in report order (policy "Environment Validation"). */
export const allChecks: readonly Check[] = [
  phpVersionCheck,
  phpExtensionsCheck,
  phpMemoryCheck,
  databaseVersionCheck,
  databaseCharsetCheck,
  webServerVersionCheck,
  webServerConfigCheck,
  tlsCheck,
  diskCheck,
  memoryCheck,
  phpHardeningCheck,
  firewallCheck,
  sshConfigCheck,
  databaseAccessCheck,
  permissionsCheck,
  backupsCheck,
  dnsCheck,
  mailCheck,
  mailAuthCheck, // issue 17: SPF/DKIM/DMARC advice for the sender domains
  apisCheck,
  portsCheck,
];
