import { createEntitiesPhp } from './create-entities.js';
import { isolationMarkersPhp } from './isolation-markers.js';
import { setLogoPhp } from './set-logo.js';

/** The entity steps' own PHP tools, written beside the install's (<root>/shared/mokodeploy/). */
export const entityPhpTools = {
  'create-entities.php': createEntitiesPhp,
  'set-logo.php': setLogoPhp,
  'isolation-markers.php': isolationMarkersPhp,
} as const;

export type EntityPhpToolName = keyof typeof entityPhpTools;
