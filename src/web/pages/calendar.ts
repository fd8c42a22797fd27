import { html, type Html } from '../html.js';
import { layout, type PageContext } from '../layout.js';
import type { DeploymentRecord } from '../../core/record.js';
import { formatWhen } from '../when.js';

const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function shift(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return d.toISOString().slice(0, 7);
}

/** A month of deployment windows (UTC days; each entry says its time in the client's zone), and my feed. */
export function calendarPage(
  page: PageContext,
  records: readonly DeploymentRecord[],
  month: string,
  feedUrl: string,
): Html {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const first = new Date(Date.UTC(y, m - 1, 1));
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const lead = (first.getUTCDay() + 6) % 7; // Monday first
  const windows = records
    .filter((r) => r.state !== 'cancelled')
    .map((r) => ({ r, w: r.schedule ?? r.plan.window }))
    .filter((x) => x.w && x.w.start.slice(0, 7) === month)
    .sort((a, b) => a.w!.start.localeCompare(b.w!.start));
  const cells: (number | null)[] = [
    ...Array(lead).fill(null),
    ...Array.from({ length: days }, (_, i) => i + 1),
  ];
  while (cells.length % 7) cells.push(null);
  const weeks = Array.from({ length: cells.length / 7 }, (_, i) => cells.slice(i * 7, i * 7 + 7));
  const on = (day: number) => windows.filter((x) => Number(x.w!.start.slice(8, 10)) === day);
  const title = first.toLocaleString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
  return layout(
    'Calendar',
    page,
    html`<h1>Deployment windows: ${title}</h1>
      <p class="pager">
        <a href="/calendar?month=${shift(month, -1)}" rel="prev">← ${shift(month, -1)}</a>
        <a href="/calendar?month=${shift(month, 1)}" rel="next">${shift(month, 1)} →</a>
      </p>
      <table class="calendar stack" id="calendar">
        <caption>
          ${windows.length} window${windows.length === 1 ? '' : 's'} in ${title} (days in UTC)
        </caption>
        <thead>
          <tr>
            ${weekdays.map((d) => html`<th scope="col">${d}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${weeks.map(
            (week) =>
              html`<tr>
                ${week.map((day, i) =>
                  day === null
                    ? html`<td class="empty" aria-hidden="true"></td>`
                    : html`<td data-label="${weekdays[i]} ${day}" data-day="${day}">
                        <span class="day-number" aria-hidden="true">${day}</span>
                        <ul>
                          ${on(day).map(
                            (x) =>
                              html`<li>
                                <a href="/deployments/${x.r.id}">${x.r.id}</a>
                                <small
                                  >${formatWhen(x.w!.start, x.r.plan.window?.timezone)}${x.r.schedule ? '' : ' (planned)'}</small
                                >
                              </li>`,
                          )}
                        </ul>
                      </td>`,
                )}
              </tr>`,
          )}
        </tbody>
      </table>
      <p>
        Your windows in a calendar application: <a href="${feedUrl}" id="feed-link">iCalendar feed</a>
        <small class="hint"
          >(a private address: whoever has it sees your windows; a password change replaces it)</small
        >
      </p>`,
    { current: '/calendar' },
  );
}
