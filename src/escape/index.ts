/** One escaping function per output language (issue 12; STYLE.md "Renderers escape"). */
export { cannotEscape } from './refuse.js';
export {
  apacheComment,
  apacheExprString,
  apacheHostname,
  apachePath,
  apacheSocketPath,
  apacheValue,
} from './apache.js';
export { cronCommand, cronComment, cronEnv, cronUser, cronWord } from './cron.js';
export { escapeHtml, link, safeHref } from './html.js';
export { optionLine, optionValue, renderOptionFile } from './mycnf.js';
export { nginxComment, nginxHostname, nginxPath, nginxValue } from './nginx.js';
export { fpmComment, fpmIniPath, fpmIniValue, fpmSectionName, fpmUser } from './php-fpm.js';
export { phpString } from './php.js';
export { shellCommand, shellWord } from './shell.js';
export { systemdEnvironment, systemdExecLine, systemdExecWord, systemdValue } from './systemd.js';
export { terminalLine, terminalText } from './terminal.js';
