import { html, type Html } from '../html.js';
import { layout, type PageContext } from '../layout.js';
import type { DeploymentRecord } from '../../core/record.js';
import type { Policy } from '../../policy/types.js';
import type { AuditEntry } from '../../audit/entry.js';
import type { JournalRecord } from '../../runner/journal.js';
import type { GateReport } from '../../core/gates.js';
import type { checklistOf } from '../../server/deployment-views.js';
import { requiredVerificationItems } from '../../core/required-items.js';
import { visibleActions } from '../visible-actions.js';
import { may } from '../permissions.js';
import { actionFormHtml } from '../form-fields.js';
import { summarySection } from '../sections/summary.js';
import { planSection } from '../sections/plan.js';
import { checklistSection } from '../sections/checklist.js';
import { validationSection } from '../sections/validation.js';
import { progressSection } from '../sections/progress.js';
import { verificationSection } from '../sections/verification.js';
import { signoffSection } from '../sections/signoffs.js';
import { issuesSection } from '../sections/issues.js';
import { auditTrailSection } from '../sections/audit-trail.js';

export interface DeploymentPageData {
  record: DeploymentRecord;
  policy: Policy;
  next: ({ to: string } & GateReport)[];
  checklist: ReturnType<typeof checklistOf>;
  journal: JournalRecord[];
  audit: AuditEntry[];
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
      ['issues', 'Issues'],
      ['audit', 'Audit trail'],
    ].map(([id, label]) => html`<li><a href="#${id}-title">${label}</a></li>`)}
  </ul>
</nav>`;

const signoffKeys = ['signoff-technical', 'signoff-go-live', 'signoff-client', 'go-live'];
const issueKeys = ['issue-open', 'issue-resolve'];

/** One deployment: state and gates, plan, checklist, validation, live progress, verification, sign-off, issues, audit. */
export function deploymentPage(page: PageContext, d: DeploymentPageData): Html {
  const user = page.user!;
  const actions = visibleActions(d.record, user, d.policy);
  const pick = (keys: string[]) => actions.filter((a) => keys.includes(a.key));
  const other = actions.filter((a) => !signoffKeys.includes(a.key) && !issueKeys.includes(a.key));
  const canValidate =
    ['draft', 'submitted', 'approved', 'ready', 'scheduled', 'rolled-back'].includes(d.record.state) &&
    may(d.policy, user, 'validation.run');
  const canRevise =
    ['draft', 'submitted', 'approved', 'ready', 'scheduled', 'rolled-back'].includes(d.record.state) &&
    may(d.policy, user, 'plan.submit');
  const canDeploy =
    ['scheduled', 'deploying'].includes(d.record.state) && may(d.policy, user, 'deployment.execute');
  const canVerify =
    ['verifying', 'awaiting-signoff', 'live'].includes(d.record.state) &&
    may(d.policy, user, 'verification.run');
  return layout(
    d.record.id,
    page,
    html`<h1>Deployment ${d.record.id}</h1>
      ${sectionNav} ${summarySection(d.record, d.next)}
      ${
        other.length > 0
          ? html`<section aria-labelledby="actions-title">
              <h2 id="actions-title">Actions</h2>
              <div class="actions">${other.map((a) => actionFormHtml(d.record.id, a, page.csrf))}</div>
            </section>`
          : ''
      }
      ${planSection(d.record, canRevise, page.csrf)}
      ${checklistSection(d.record, d.checklist, user, page.csrf)}
      ${validationSection(d.record, canValidate, page.csrf)}
      ${progressSection(d.record, d.journal, canDeploy, page.csrf)}
      ${verificationSection(d.record, requiredVerificationItems(d.policy), canVerify, page.csrf)}
      ${signoffSection(d.record, d.policy.signoffs.kinds, pick(signoffKeys), page.csrf)}
      ${issuesSection(d.record, pick(issueKeys), page.csrf)} ${auditTrailSection(d.record.id, d.audit)}`,
    { scripts: ['/assets/progress.js'] },
  );
}
