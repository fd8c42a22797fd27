import { renderApacheSite } from '../../webserver/apache-site.js';
import { renderNginxSite } from '../../webserver/nginx-site.js';
import type { Action, Step } from '../step.js';
import { installFacts } from './context.js';
import { certificateFile, siteFile, siteOptions } from './web-names.js';

/**
 * The web server site (nginx or Apache, plan.target.webServer): TLS with the plan's certificate,
 * HTTP -> HTTPS, security headers, denied paths (src/webserver/). Config test before reload.
 */
export const webSite: Step = {
  id: 'install:web-site',
  title: 'Web server site (TLS, redirect, security headers)',
  policyRef: 'deploy.phase2.install-base',
  plan(ctx) {
    const { tls } = ctx.plan.site;
    const nginx = ctx.plan.target.webServer === 'nginx';
    const options = siteOptions(ctx);
    const content = nginx ? renderNginxSite(options) : renderApacheSite(options);
    const actions: Action[] = [];
    if (tls.chain) {
      actions.push({
        kind: 'run',
        description: 'certificate followed by its chain in one file',
        command: {
          sudo: true,
          // values as positional parameters, never spliced into the script (issue 12)
          argv: ['sh', '-c', 'umask 022 && cat -- "$1" "$2" > "$3"', 'fullchain', tls.certificate, tls.chain, certificateFile(ctx)],
        },
      });
    }
    actions.push({
      kind: 'write',
      description: `site ${siteFile(ctx)}`,
      file: { path: siteFile(ctx), content, mode: 0o644, owner: 'root', group: 'root' },
    });
    if ((installFacts(ctx).serviceManager ?? 'systemd') === 'systemd') {
      const [test, service] = nginx ? [['nginx', '-t'], 'nginx'] : [['apache2ctl', 'configtest'], 'apache2'];
      if (!nginx)
        actions.push({
          kind: 'run',
          description: 'Apache modules the site needs',
          command: { sudo: true, argv: ['a2enmod', '-q', 'ssl', 'headers', 'proxy_fcgi', 'alias'] },
        });
      actions.push({
        kind: 'run',
        description: `${service} configuration test`,
        command: { sudo: true, argv: test },
      });
      actions.push({
        kind: 'run',
        description: `reload ${service}`,
        command: { sudo: true, argv: ['systemctl', 'reload', service] },
      });
    }
    return actions;
  },
};
