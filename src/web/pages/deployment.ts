import { html, type Html } from '../html.js';
import { layout, type PageContext } from '../layout.js';
import type { DeploymentRecord } from '../../core/record.js';
import type { Policy } from '../../policy/types.js';
import type { AuditEntry } from '../../audit/entry.js';
import type { JournalRecord } from '../../runner/journal.js';
import type { GateReport } from '../../core/gates.js';
import { evaluateGates } from '../../core/gates.js';
import type { checklistOf } from '../../server/deployment-views.js';
import { requiredVerificationItems } from '../../core/required-items.js';
import type { ActionForm } from '../action-forms.js';
import { visibleActions } from '../visible-actions.js';
import { may } from '../permissions.js';
import { actionFormHtml, type FieldContext, type FormState } from '../form-fields.js';
import { optionsOf } from '../field-options.js';
import { blockerOf } from '../action-blockers.js';
import { summarySection } from '../sections/summary.js';
import { planSection } from '../sections/plan.js';
import { checklistSection } from '../sections/checklist.js';
import { validationSection } from '../sections/validation.js';
import { progressSection } from '../sections/progress.js';
import { verificationSection } from '../sections/verification.js';
import { signoffSection } from '../sections/signoffs.js';
import { issuesSection } from '../sections/issues.js';
import { auditTrailSection } from '../sections/audit-trail.js';
import { aftercareSection } from '../sections/aftercare.js';
import { outboxSection } from '../sections/outbox.js';
import type { OutboxMessage } from '../../notify/message.js';

export interface DeploymentPageData {
  record: DeploymentRecord;
  policy: Policy;
  now: Date;
  next: ({ to: string } & GateReport)[];
  checklist: ReturnType<typeof checklistOf>;
  journal: JournalRecord[];
  audit: AuditEntry[];
  /** The last lines of the newest background run's output (redacted). */
  deployOutput?: string[];
  /** A form the core refused: shown again with what was typed and the reason. */
  formState?: FormState;
  /** This deployment's messages (issue 16). */
  outbox?: OutboxMessage[];
}

const sectionNav = html`<nav class="sections" aria-label="Sections of this deployment">
  <ul>
    ${[
      ['summary', 'State'],
      ['plan', 'Plan'],
      ['checklist', 'Checklist'],
      ['validation', 'Validation'],
      ['progress', 'Run progress'],
      ['verification', 'Verification'],
      ['signoff', 'Sign-off'],
      ['aftercare', 'After go-live'],
      ['issues', 'Issues'],
      ['audit', 'Audit trail'],
    ].map(([id, label]) => html`<li><a href="#${id}-title">${label}</a></li>`)}
  </ul>
</nav>`;

const signoffKeys = ['signoff-technical', 'signoff-go-live', 'signoff-client', 'go-live'];
const issueKeys = ['issue-open', 'issue-resolve'];
const editable = ['draft', 'submitted', 'approved', 'ready', 'scheduled', 'rolled-back'];

/** One deployment: state and what is next, plan, checklist, validation, live progress, verification, sign-off, aftercare, issues, audit. */
export function deploymentPage(page: PageContext, d: DeploymentPageData): Html {
  const user = page.user!;
  const r = d.record;
  const actions = visibleActions(r, user, d.policy);
  const pick = (keys: string[]) => actions.filter((a) => keys.includes(a.key));
  const other = actions.filter((a) => !signoffKeys.includes(a.key) && !issueKeys.includes(a.key));
  const fields: FieldContext = {
    options: (f) => (f.from ? optionsOf(f.from, r, d.policy) : []),
    timeZone: r.plan.window?.timezone ?? 'UTC',
    state: d.formState,
  };
  const render = (a: ActionForm) =>
    actionFormHtml(r.id, a, page.csrf, fields, blockerOf(a, r, { policy: d.policy, now: d.now, user }));
  const canValidate = editable.includes(r.state) && may(d.policy, user, 'validation.run');
  const canRevise = editable.includes(r.state) && may(d.policy, user, 'plan.submit');
  const canDeploy = ['scheduled', 'deploying'].includes(r.state) && may(d.policy, user, 'deployment.execute');
  const deployGates =
    r.state === 'scheduled' ? evaluateGates(r, 'deploying', { policy: d.policy, now: d.now }).open.length : 0;
  const canVerify =
    ['verifying', 'awaiting-signoff', 'live'].includes(r.state) && may(d.policy, user, 'verification.run');
  return layout(
    r.id,
    page,
    html`<h1>Deployment ${r.id}</h1>
      ${sectionNav} ${summarySection(r, d.next, d.policy, user)}
      ${
        other.length > 0
          ? html`<section aria-labelledby="actions-title">
              <h2 id="actions-title">Your actions</h2>
              <div class="actions">${other.map(render)}</div>
            </section>`
          : ''
      }
      ${planSection(r, canRevise, page.csrf, { audit: d.audit, formState: d.formState })}
      ${checklistSection(r, d.checklist, user, page.csrf, d.formState)}
      ${validationSection(r, canValidate, page.csrf)}
      ${progressSection(r, d.journal, {
        canDeploy,
        csrf: page.csrf,
        blocked:
          deployGates > 0
            ? `${deployGates} gate${deployGates === 1 ? '' : 's'} still open (listed under “What is next”)`
            : undefined,
        now: d.now,
        output: d.deployOutput ?? [],
        state: d.formState,
      })}
      ${verificationSection(r, requiredVerificationItems(d.policy), canVerify, page.csrf, d.formState)}
      ${signoffSection(r, d.policy.signoffs.kinds, pick(signoffKeys), render)}
      ${aftercareSection(r, d.policy, d.now)} ${issuesSection(r, pick(issueKeys), render)}
      ${d.outbox ? outboxSection(d.outbox) : ''} ${auditTrailSection(r.id, d.audit)}`,
    { scripts: ['/assets/progress.js'] },
  );
}
