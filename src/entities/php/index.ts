import { createEntitiesPhp } from './create-entities.js';
import { isolationApiKeyPhp } from './isolation-api-key.js';
import { isolationMarkersPhp } from './isolation-markers.js';
import { setLogoPhp } from './set-logo.js';

/** The entity steps' own PHP tools, written beside the install's (<root>/shared/mokodeploy/). */
export const entityPhpTools = {
  'create-entities.php': createEntitiesPhp,
  'set-logo.php': setLogoPhp,
  'isolation-markers.php': isolationMarkersPhp,
  'isolation-api-key.php': isolationApiKeyPhp,
} as const;

export type EntityPhpToolName = keyof typeof entityPhpTools;
