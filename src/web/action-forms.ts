import type { OperationName } from '../core/operations/index.js';
import type { State } from '../core/record.js';
import type { OptionSource } from './field-options.js';

/** A field of an action form and how its text becomes the operation's input. */
export interface FieldDef {
  name: string;
  label: string;
  /** datetime: typed as people do, read in the window's timezone; duration: "5 min" -> seconds; checkboxes: a list. */
  type:
    | 'text'
    | 'textarea'
    | 'number'
    | 'datetime'
    | 'duration'
    | 'select'
    | 'checkboxes'
    | 'list'
    | 'evidence'
    | 'hidden';
  /** The choices of a select or checkboxes: a policy list or what the record has (never pre-chosen). */
  from?: OptionSource;
  /** A select whose value is a number (an issue or training number, a score). */
  numeric?: boolean;
  required?: boolean;
  value?: string;
  hint?: string;
}

/** An operation offered as a form on the deployment page, to people whose roles allow it, in the states where it applies. */
export interface ActionForm {
  key: string;
  op: OperationName;
  label: string;
  permission: string;
  states: readonly State[] | 'any';
  fields: FieldDef[];
  /** Only shown when there is something to act on (e.g. an open issue). */
  needs?: 'open-issue' | 'planned-training';
}

const running = ['deploying', 'verifying', 'awaiting-signoff', 'live'] as const;
const beforeRun = ['draft', 'submitted', 'approved', 'ready', 'scheduled'] as const;
const note: FieldDef = { name: 'note', label: 'Note', type: 'text' };
const evidence: FieldDef = { name: 'evidence', label: 'Evidence', type: 'evidence' };

export const actionForms: ActionForm[] = [
  {
    key: 'submit',
    op: 'submit',
    label: 'Submit the draft plan',
    permission: 'plan.submit',
    states: ['draft'],
    fields: [note],
  },
  {
    key: 'approve',
    op: 'approve',
    label: 'Approve the plan',
    permission: 'plan.approve',
    states: ['submitted'],
    fields: [note],
  },
  {
    key: 'ready',
    op: 'ready',
    label: 'Mark ready',
    permission: 'deployment.ready',
    states: ['approved'],
    fields: [note],
  },
  {
    key: 'schedule',
    op: 'schedule',
    label: 'Schedule the window',
    permission: 'deployment.schedule',
    states: ['ready'],
    fields: [
      { name: 'clientApprovedBy', label: 'Approved by (client person)', type: 'text', required: true },
      { name: 'start', label: 'Start', type: 'datetime', hint: 'empty: the plan window' },
      { name: 'end', label: 'End', type: 'datetime', hint: 'empty: the plan window' },
    ],
  },
  {
    key: 'record-run',
    op: 'record-run',
    label: 'Record a manual deployment run',
    permission: 'deployment.execute',
    states: ['scheduled'],
    fields: [
      { name: 'startedAt', label: 'Started at', type: 'datetime', required: true },
      { name: 'finishedAt', label: 'Finished at', type: 'datetime', required: true },
      { name: 'downtimeSeconds', label: 'Downtime', type: 'duration', hint: 'e.g. 2 min, 90 s, 1 h 30' },
      evidence,
      note,
    ],
  },
  {
    key: 'signoff-technical',
    op: 'signoff',
    label: 'Give the technical sign-off',
    permission: 'signoff.technical',
    states: ['awaiting-signoff'],
    fields: [{ name: 'kind', label: '', type: 'hidden', value: 'technical' }, note, evidence],
  },
  {
    key: 'signoff-go-live',
    op: 'signoff',
    label: 'Authorise go-live',
    permission: 'signoff.go-live',
    states: ['awaiting-signoff'],
    fields: [{ name: 'kind', label: '', type: 'hidden', value: 'go-live' }, note, evidence],
  },
  {
    key: 'signoff-client',
    op: 'signoff',
    label: 'Record the client sign-off',
    permission: 'signoff.client',
    states: ['awaiting-signoff'],
    fields: [
      { name: 'kind', label: '', type: 'hidden', value: 'client' },
      { name: 'signatory', label: 'Client signatory (name, title)', type: 'text', required: true },
      {
        name: 'confirmed',
        label: 'Items the signatory confirmed',
        type: 'checkboxes',
        from: 'client-confirmations',
      },
      note,
      evidence,
    ],
  },
  {
    key: 'go-live',
    op: 'go-live',
    label: 'Go live (hypercare starts)',
    permission: 'signoff.go-live',
    states: ['awaiting-signoff'],
    fields: [
      { name: 'hypercareDays', label: 'Hypercare days', type: 'number', hint: 'empty: the policy minimum' },
    ],
  },
  {
    key: 'issue-open',
    op: 'issue-open',
    label: 'Log an issue',
    permission: 'issue.log',
    states: 'any',
    fields: [
      { name: 'title', label: 'Title', type: 'text', required: true },
      { name: 'severity', label: 'Severity', type: 'select', from: 'severity', required: true },
    ],
  },
  {
    key: 'issue-resolve',
    op: 'issue-resolve',
    label: 'Resolve an issue',
    permission: 'issue.resolve',
    states: 'any',
    needs: 'open-issue',
    fields: [
      { name: 'id', label: 'Issue', type: 'select', from: 'open-issues', required: true, numeric: true },
      { name: 'resolution', label: 'Resolution', type: 'textarea', required: true },
    ],
  },
  {
    key: 'training-plan',
    op: 'training-plan',
    label: 'Plan a training session',
    permission: 'training.record',
    states: [...running],
    fields: [
      { name: 'session', label: 'Session', type: 'select', from: 'training-sessions', required: true },
      { name: 'plannedAt', label: 'Planned at', type: 'datetime', required: true },
      { name: 'materials', label: 'Materials (comma-separated)', type: 'list' },
    ],
  },
  {
    key: 'training-held',
    op: 'training-held',
    label: 'Record a training as held',
    permission: 'training.record',
    states: [...running],
    needs: 'planned-training',
    fields: [
      {
        name: 'id',
        label: 'Training',
        type: 'select',
        from: 'planned-trainings',
        required: true,
        numeric: true,
      },
      { name: 'heldAt', label: 'Held at', type: 'datetime', required: true },
      { name: 'durationHours', label: 'Hours', type: 'number', required: true, hint: 'e.g. 2.5' },
      { name: 'attendees', label: 'Attendees (comma-separated)', type: 'list', required: true },
      { name: 'materials', label: 'Materials (comma-separated)', type: 'list' },
    ],
  },
  {
    key: 'handoff-deliver',
    op: 'handoff-deliver',
    label: 'Deliver the handoff pack',
    permission: 'handoff.deliver',
    states: ['awaiting-signoff', 'live'],
    fields: [evidence],
  },
  {
    key: 'support-checkin',
    op: 'support-checkin',
    label: 'Record a hypercare check-in',
    permission: 'support.record',
    states: ['live'],
    fields: [{ name: 'summary', label: 'Summary', type: 'textarea', required: true }],
  },
  {
    key: 'support-feedback',
    op: 'support-feedback',
    label: 'Record client feedback',
    permission: 'support.record',
    states: ['live'],
    fields: [{ name: 'text', label: 'Feedback', type: 'textarea', required: true }],
  },
  {
    key: 'satisfaction',
    op: 'satisfaction',
    label: 'Record client satisfaction',
    permission: 'satisfaction.record',
    states: ['live', 'closed'],
    fields: [
      {
        name: 'score',
        label: 'Score (1 poor – 5 excellent)',
        type: 'select',
        from: 'satisfaction',
        required: true,
        numeric: true,
      },
      { name: 'comment', label: 'Comment', type: 'text' },
    ],
  },
  {
    key: 'knowledge-base',
    op: 'knowledge-base',
    label: 'Record the knowledge-base update (a link or a file)',
    permission: 'document.record',
    states: ['live'],
    fields: [evidence],
  },
  {
    key: 'lesson',
    op: 'lesson',
    label: 'Document a lesson learned',
    permission: 'lesson.record',
    states: 'any',
    fields: [
      { name: 'text', label: 'Lesson', type: 'textarea', required: true },
      { name: 'tags', label: 'Tags (comma-separated)', type: 'list' },
    ],
  },
  {
    key: 'rollback',
    op: 'rollback',
    label: 'Record a rollback',
    permission: 'deployment.rollback',
    states: [...running],
    fields: [
      { name: 'trigger', label: 'Trigger', type: 'select', from: 'rollback-triggers', required: true },
      { name: 'reason', label: 'Reason', type: 'textarea', required: true },
    ],
  },
  {
    key: 'rollback-analysis',
    op: 'rollback-analysis',
    label: 'Document the rollback root cause',
    permission: 'deployment.rollback',
    states: ['rolled-back'],
    fields: [
      { name: 'rootCause', label: 'Root cause', type: 'textarea', required: true },
      { name: 'remediation', label: 'Remediation', type: 'textarea', required: true },
    ],
  },
  {
    key: 'retry',
    op: 'retry',
    label: 'Approve a new attempt',
    permission: 'plan.approve',
    states: ['rolled-back'],
    fields: [note],
  },
  {
    key: 'close',
    op: 'close',
    label: 'Close the deployment',
    permission: 'deployment.close',
    states: ['live'],
    fields: [note],
  },
  {
    key: 'untick',
    op: 'untick',
    label: 'Mark a checklist item not done',
    permission: 'checklist.tick',
    states: ['draft', 'submitted', 'approved', 'ready', 'scheduled', 'rolled-back'],
    fields: [
      { name: 'item', label: 'Item', type: 'select', from: 'ticked-items', required: true },
      { name: 'reason', label: 'Why', type: 'textarea', required: true },
    ],
  },
  {
    key: 'cancel',
    op: 'cancel',
    label: 'Cancel the deployment',
    permission: 'deployment.cancel',
    states: [...beforeRun],
    fields: [{ name: 'reason', label: 'Reason', type: 'textarea', required: true }],
  },
];

export const actionFormByKey = (key: string): ActionForm | undefined =>
  actionForms.find((a) => a.key === key);
