import { evaluateGates, unpassedVerificationItems } from '../core/gates.js';
import type { DeploymentRecord } from '../core/record.js';
import type { Policy } from '../policy/types.js';
import { dl, esc, page, section, status, table } from './html.js';

/**
 * The sign-off document (policy "Deployment Sign-Off"): for each of technical, go-live and client, what the
 * policy requires, the evidence on record, who signed and when — and, where a sign-off is still missing,
 * what closes it. Signature blocks for the printed copy.
 */
function evidenceFor(r: DeploymentRecord, policy: Policy, kind: string): string {
  if (kind === 'technical') {
    const v = r.verifications.at(-1);
    const unpassed = unpassedVerificationItems(r, policy);
    if (!v) return '<p class="fail">No verification recorded.</p>';
    return (
      `<p>Verification ${esc(v.at)} (${esc(v.source)}, by ${esc(v.by)}): ${unpassed.length === 0 ? '<span class="pass">every required item passed</span>' : `<span class="fail">not passed: ${esc(unpassed.join(', '))}</span>`}</p>` +
      table(
        ['Item', 'Status', 'Observed'],
        v.results.map((x) => [x.id, status(x.status), (x.observed ?? '').slice(0, 220)]),
      )
    );
  }
  if (kind === 'client') {
    const held = r.trainings
      .filter((t) => t.heldAt)
      .map((t) => `${t.session} (${t.heldAt!.slice(0, 10)}, ${t.attendees.length} attendees)`);
    return dl([
      ['Training held', held.join('; ') || 'none recorded'],
      [
        'Handoff pack delivered',
        r.handoff ? `${r.handoff.deliveredAt.slice(0, 10)} by ${r.handoff.by}` : 'not yet',
      ],
      [
        'Support arrangements',
        r.support
          ? `hypercare from ${r.support.hypercareStart.slice(0, 10)}, ${r.support.hypercareDays} days`
          : 'hypercare starts at go-live',
      ],
    ]);
  }
  const tech = r.signoffs.find((s) => s.kind === 'technical');
  return dl([['Technical sign-off', tech ? `${tech.stamp.by}, ${tech.stamp.at}` : 'not given']]);
}

function kindSection(r: DeploymentRecord, policy: Policy, k: Policy['signoffs']['kinds'][number]): string {
  const given = r.signoffs.find((s) => s.kind === k.id);
  const head = given
    ? `<p><span class="pass">Given</span> by ${esc(given.stamp.by)} (${esc(given.stamp.role)}) on ${esc(given.stamp.at)}${given.signatory ? ` — client signatory: ${esc(given.signatory)}` : ''}${given.note ? `. Note: ${esc(given.note)}` : ''}</p>`
    : `<p><span class="fail">Not given.</span> A ${esc(k.role)} gives it with: <code>mokodeploy signoff ${esc(r.id)} ${esc(k.id)}</code></p>`;
  const requires = `<p>The policy requires: ${esc(k.requires.join('; '))}.</p>`;
  const sign = `<div class="sign"><div>Name, role</div><div>Date and signature</div></div>`;
  return section(`signoff-${k.id}`, k.label, head + requires + evidenceFor(r, policy, k.id) + sign);
}

export function renderSignoffDocument(r: DeploymentRecord, policy: Policy, now: Date): string {
  const gates = evaluateGates(r, 'live', { policy, now });
  const open = gates.open.map((g) => [g.gate, g.message, g.fix]);
  const body = [
    section(
      'deployment',
      'Deployment',
      dl([
        ['Client', `${r.plan.clientName} (${r.client})`],
        ['Deployment', `${r.id} — ${r.kind}, ${r.environment}`],
        ['Dolibarr', r.plan.dolibarr.version],
        ['Address', r.plan.site.url],
        ['State', r.state],
      ]),
    ),
    ...policy.signoffs.kinds.map((k) => kindSection(r, policy, k)),
    section(
      'open',
      'What still stands between this deployment and go-live',
      table(
        ['Gate', 'Why', 'What closes it'],
        open,
        r.state === 'live' || r.state === 'closed'
          ? 'Live: every gate was closed.'
          : 'Nothing: go-live may be authorised.',
      ),
    ),
    section(
      'documentation',
      'Documentation',
      table(
        ['Item', 'State'],
        policy.signoffs.documentation.map((d) => [d, docState(r, d)]),
      ),
    ),
  ].join('\n');
  return page(
    `${r.plan.clientName} — deployment sign-off`,
    `Deployment ${r.id} · ${policy.signoffs.section} · generated ${now.toISOString()}`,
    body,
  );
}

function docState(r: DeploymentRecord, item: string): string {
  if (/sign-off document/i.test(item))
    return r.signoffs.length === 3
      ? 'all three sign-offs on record'
      : `${r.signoffs.length} of 3 sign-offs on record`;
  if (/lessons/i.test(item))
    return r.lessons.length ? `${r.lessons.length} lesson(s) recorded` : 'none recorded yet';
  if (/deployment report/i.test(item)) return 'generate with: mokodeploy report ' + r.id + ' deployment';
  return 'to confirm';
}
