import { html, type Html } from './html.js';
import type { Actor } from '../core/team.js';
import type { Notice } from './notice.js';

export interface PageContext {
  user: Actor | null;
  csrf: string;
  /** The outcome of the last form: a label from a fixed list and the core's warnings (session, not URL). */
  notice?: Notice;
  /** How many things wait for this person (the count in the navigation). */
  waiting?: number;
  /** Whether "Submit a plan" is offered (people without plan.submit do not see it). */
  canSubmitPlan?: boolean;
}

const nav = [
  { href: '/', label: 'Waiting for me' },
  { href: '/board', label: 'Board' },
  { href: '/calendar', label: 'Calendar' },
  { href: '/plans/new', label: 'Submit a plan' },
  { href: '/metrics', label: 'Metrics' },
  { href: '/review', label: 'Review & lessons' },
  { href: '/audit', label: 'Audit trail' },
];

/** The notice: "Done: <fixed label>." and, apart, the core's warnings one per line. */
function noticeHtml(notice: Notice | undefined): Html | string {
  if (!notice) return '';
  return html`<div class="notice" role="status" id="notice">
    <p>Done: ${notice.label}.</p>
    ${
      notice.warnings.length > 0
        ? html`<p class="warn-title">
              ${notice.warnings.length === 1 ? 'Warning' : `${notice.warnings.length} warnings`}:
            </p>
            <ul class="warnings">
              ${notice.warnings.map((w) => html`<li>${w}</li>`)}
            </ul>`
        : ''
    }
  </div>`;
}

/** The page shell: skip link, banner with navigation and the person, main, footer. No inline script or style (CSP). */
export function layout(
  title: string,
  page: PageContext,
  body: Html,
  opts: { scripts?: string[]; current?: string } = {},
): Html {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} — mokodeploy</title>
        <link rel="stylesheet" href="/assets/app.css" />
        ${(opts.scripts ?? []).map((src) => html`<script src="${src}" defer></script> `)}
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="banner">
          <p class="brand"><a href="/">mokodeploy</a> <span>MokoCRM client deployments</span></p>
          ${
            page.user
              ? html`<nav aria-label="Main">
                    <ul>
                      ${nav
                        .filter((n) => n.href !== '/plans/new' || page.canSubmitPlan)
                        .map(
                          (n) =>
                            html`<li>
                              <a href="${n.href}" ${opts.current === n.href ? html` aria-current="page"` : ''}
                                >${n.label}${n.href === '/' ? html` <span class="count" id="waiting-count">${page.waiting ?? 0}</span>` : ''}</a
                              >
                            </li>`,
                        )}
                    </ul>
                  </nav>
                  <form class="who" method="post" action="/logout">
                    <span>${page.user.name} <small>(${page.user.roles.join(', ')})</small></span>
                    <input type="hidden" name="_csrf" value="${page.csrf}" />
                    <button type="submit">Log out</button>
                  </form>`
              : ''
          }
        </header>
        <main id="main">${noticeHtml(page.notice)} ${body}</main>
        <footer>
          <p>
            Records follow the MokoCRM Client Deployment Policy; every change is in the hash-chained audit
            trail.
          </p>
        </footer>
      </body>
    </html> `;
}
