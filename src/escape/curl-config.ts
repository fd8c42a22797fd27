import { refuseControls } from './refuse.js';

/**
 * A value in a curl config file (`curl -K FILE`, curl(1) "-K, --config"): written double-quoted, where curl
 * reads `\\` and `\"` as escapes; a control character (a newline would start another option) is refused.
 */
export function curlConfigString(value: string, what = 'a curl config value'): string {
  refuseControls('a curl config file', what, value);
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** `name = "value"` (the option names are ours, fixed). */
export function curlConfigLine(option: string, value: string, what?: string): string {
  return `${option} = ${curlConfigString(value, what ?? option)}`;
}
