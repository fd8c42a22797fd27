import { HttpSession } from '../../../src/verify/http.js';
import { caOf, type InstallStack } from '../install-stack/index.js';

/**
 * A GET on the site's REST API (api/index.php/PATH) over HTTPS with an API key (DOLAPIKEY), in `entity` when given
 * (DOLAPIENTITY, multicompany; without it Dolibarr uses the key owner's entity).
 */
export function callApi(stack: InstallStack, path: string, apiKey: string, entity?: number) {
  return new HttpSession({ url: stack.plan.site.url, ca: caOf(stack), address: '127.0.0.1' }).get(
    `api/index.php/${path}`,
    {
      headers: {
        DOLAPIKEY: apiKey,
        accept: 'application/json',
        ...(entity ? { DOLAPIENTITY: String(entity) } : {}),
      },
    },
  );
}
