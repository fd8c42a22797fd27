import { setConstantsPhp } from '../../dolibarr/php/set-constants.js';
import { enableModulesPhp } from '../../dolibarr/php/enable-modules.js';
import { configureCollectorPhp } from './configure-collector.js';
import { runCollectorPhp } from './run-collector.js';
import { sendTestMailPhp } from './send-test-mail.js';
import { setPaymentPhp } from './set-payment.js';
import { webhookCheckPhp } from './webhook-check.js';
import { webhookTargetsPhp } from './webhook-targets.js';
import { apiUserPhp } from './api-user.js';

/**
 * The PHP tools the integration steps run, by file name under <root>/shared/mokodeploy/ (written by the
 * integrations:php-tools step, so an integration deployment on an older install has them too).
 */
export const integrationTools = {
  'set-constants.php': setConstantsPhp,
  'enable-modules.php': enableModulesPhp,
  'integration-configure-collector.php': configureCollectorPhp,
  'integration-run-collector.php': runCollectorPhp,
  'integration-send-test-mail.php': sendTestMailPhp,
  'integration-set-payment.php': setPaymentPhp,
  'integration-webhook-targets.php': webhookTargetsPhp,
  'integration-webhook-check.php': webhookCheckPhp,
  'integration-api-user.php': apiUserPhp,
} as const;

export type IntegrationToolName = keyof typeof integrationTools;
