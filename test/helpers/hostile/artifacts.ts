import type { CheckContext } from '../../../src/checks/finding.js';
import { sqlCommand } from '../../../src/checks/db-client.js';
import { MokoError } from '../../../src/core/errors.js';
import type { Plan } from '../../../src/core/plan.js';
import { Secret } from '../../../src/core/secret.js';
import type { Policy } from '../../../src/policy/types.js';
import { createDeployment } from '../../../src/core/create.js';
import { architectureSvg } from '../../../src/reports/architecture-svg.js';
import { renderDeploymentReport } from '../../../src/reports/deployment-report.js';
import { renderSignoffDocument } from '../../../src/reports/signoff-doc.js';
import { page } from '../../../src/reports/html.js';
import * as procedures from '../../../src/reports/procedures.js';
import { installFactsFromPlan } from '../../../src/runner/pipelines.js';
import { describeAction } from '../../../src/runner/describe.js';
import { installPipeline } from '../../../src/steps/install/index.js';
import { integrationSteps } from '../../../src/steps/integrations/index.js';
import { rollbackPipeline } from '../../../src/steps/rollback/index.js';
import { migrationPasses, upgradePipeline } from '../../../src/steps/upgrade/index.js';
import { webSite } from '../../../src/steps/install/web-site.js';
import type { Action, StepContext } from '../../../src/steps/step.js';
import { renderCron } from '../../../src/verify/hypercare.js';
import { copyUpgradePipeline } from '../../../src/steps/upgrade-copy/index.js';
import { dropArchivesStep } from '../../../src/steps/upgrade-copy/archives-steps.js';
import { copyDatabaseName } from '../../../src/steps/upgrade-copy/names.js';
import { fleetReport, fleetReportHtml } from '../../../src/fleet/report.js';
import type { FleetRow } from '../../../src/fleet/rows.js';
import { jobPage } from '../../../src/web/pages/job.js';
import { fleetPage } from '../../../src/web/pages/fleet.js';
import type { JobRow } from '../../../src/queue/jobs.js';

export type Kind =
  | 'refused'
  | 'nginx'
  | 'apache'
  | 'pool'
  | 'cron'
  | 'mycnf'
  | 'php'
  | 'html'
  | 'command'
  | 'listing'
  | 'text';

/** One thing rendered from a plan that some reader (a server, cron, a shell, a browser) will parse. */
export interface Artifact {
  name: string;
  kind: Kind;
  content: string;
  argv?: string[];
}

const upgradeFacts = {
  target: {
    currentRelease: '19.0.4-20261101000000',
    dbVersion: '19.0.4',
    filesVersion: '19.0.4',
    dbReachable: true,
    installLock: true,
    confSha256: 'b'.repeat(64),
  },
  previousRelease: '19.0.4-20261101000000',
  badRelease: '20.0.2-20261212200000',
  passes: migrationPasses('19.0.4', '20.0.2'),
  phpReload: { kind: 'systemd', service: 'php8.2-fpm' },
  lang: 'fr_FR',
};

const secretOf = (name: string) => new Secret(`s3cret-${name.replace(/[^a-z0-9]/g, '')}`);

function stepContext(plan: Plan, policy: Policy, extra: Record<string, unknown> = {}): StepContext {
  return {
    plan,
    policy,
    facts: {
      stamp: '20261212200000',
      releaseVersion: plan.dolibarr.version,
      releaseSha256: plan.dolibarr.sha256,
      releaseHasCronScript: true,
      phpVersion: '8.2.7',
      customModules: plan.customModules.map((m) => ({
        name: m.name,
        descriptor: { className: 'modX', depends: [] },
      })),
      ...installFactsFromPlan(plan),
      ...extra,
    },
    outputs: {},
    secret: secretOf,
  };
}

function classify(path: string, content: string): Kind {
  if (content.startsWith('<?php')) return 'php';
  if (content.includes('<VirtualHost')) return 'apache';
  if (content.includes('server {')) return 'nginx';
  if (/^; mokodeploy: PHP-FPM pool/.test(content)) return 'pool';
  if (content.startsWith('[client]')) return 'mycnf';
  if (/cron/.test(path) && /^\S+ \S+ \S+ \S+ \S+ /m.test(content)) return 'cron';
  return 'text';
}

const text = (c: string | Buffer | Secret) => (c instanceof Secret ? c.reveal() : c.toString());

function fromActions(step: string, actions: Action[]): Artifact[] {
  return actions.flatMap((a, i): Artifact[] => {
    const name = `${step}#${i}`;
    const listing: Artifact = { name: `${name} listing`, kind: 'listing', content: describeAction(a) };
    if (a.kind === 'write') {
      const content = text(a.file.content);
      return [listing, { name: `${name} ${a.file.path}`, kind: classify(a.file.path, content), content }];
    }
    const stdin = a.command.stdin === undefined ? [] : [text(a.command.stdin)];
    return [
      listing,
      { name, kind: 'command', content: stdin.join(''), argv: a.command.argv },
      ...stdin
        .filter((s) => s.startsWith('[client]'))
        .map((s) => ({ name: `${name} stdin`, kind: 'mycnf' as const, content: s })),
    ];
  });
}

/**
 * Everything mokodeploy renders from a plan: the install pipeline's actions (the `deploy --dry-run` listing,
 * each command's argv and stdin, each file: conf.php, option files, cron file, PHP-FPM pool, nginx site),
 * the upgrade dry-run (with its backup steps) and the rollback steps, the Apache site of the same plan, the hypercare cron file, the database checks' option file, and the
 * plan-based HTML documents of the handoff pack.
 */
export function renderArtifacts(plan: Plan, policy: Policy): Artifact[] {
  const ctx = stepContext(plan, policy);
  const groups: [string, () => Artifact[]][] = installPipeline().map((s) => [
    s.id,
    () => fromActions(s.id, s.plan(ctx)),
  ]);
  // issue 17: the integration steps (their JSON requests and curl configs on stdin); Stripe keys shaped as Stripe's
  const integrations = {
    ...ctx,
    secret: (n: string) =>
      /stripe-(pk|sk)$/.test(n) ? new Secret(`${n.endsWith('pk') ? 'pk' : 'sk'}_live_benign0123`) : secretOf(n),
  };
  for (const s of integrationSteps(plan)) groups.push([s.id, () => fromActions(s.id, s.plan(integrations))]);
  // the upgrade dry-run (backup steps included) and the rollback, with the facts of a 19 -> 20 upgrade
  const upgrade = stepContext(plan, policy, upgradeFacts);
  for (const s of [...upgradePipeline(upgradeFacts), ...rollbackPipeline()])
    groups.push([s.id, () => fromActions(s.id, s.plan(upgrade))]);
  // issue 19: the upgrade by copy (its CREATE/GRANT/copy SQL, the copy's conf.php) and the archives' retention drop
  const copy = { ...stepContext(plan, policy, { ...upgradeFacts, stamp: '20261212200000' }), secret: integrations.secret };
  for (const s of copyUpgradePipeline(upgradeFacts, plan))
    groups.push([`copy ${s.id}`, () => fromActions(`copy ${s.id}`, s.plan(copy))]);
  const archive = copyDatabaseName(plan, '20261101000000');
  const drop = dropArchivesStep([archive], copyDatabaseName(plan, '20261212200000'));
  groups.push(['archives:drop', () => fromActions('archives:drop', drop.plan(copy))]);
  const apachePlan = { ...plan, target: { ...plan.target, webServer: 'apache' as const } };
  const apacheCtx = stepContext(apachePlan, policy, { apacheListen: true });
  groups.push(['apache', () => fromActions('apache', webSite.plan(apacheCtx))]);
  const id = plan.id ?? plan.client;
  groups.push(['hypercare cron', () => [hypercareCron(plan, id)]]);
  const check = { plan, policy, secret: secretOf } as unknown as CheckContext;
  groups.push([
    'db check',
    () => [
      {
        name: 'db check option file',
        kind: 'mycnf',
        content: text(sqlCommand(check, 'SELECT 1').stdin ?? ''),
      },
    ],
  ]);
  groups.push(['handoff documents', () => [handoffDocuments(plan, id)]]);
  groups.push(['record documents', () => recordDocuments(plan, policy)]);
  groups.push(['queue and fleet pages', () => queuePages(plan, id)]);
  return groups.flatMap(([name, render]) => {
    try {
      return render();
    } catch (e) {
      // a renderer refusing a value it cannot escape is a safe outcome (defence in depth), but only as an input error
      if (!(e instanceof MokoError) || e.kind !== 'input') throw e;
      return [{ name, kind: 'refused' as const, content: e.message }];
    }
  });
}

function hypercareCron(plan: Plan, id: string): Artifact {
  return {
    name: 'hypercare cron',
    kind: 'cron',
    content: renderCron({
      id,
      start: new Date(Date.UTC(2026, 11, 12)),
      days: 7,
      at: '08:00',
      argv: [
        '/usr/bin/node',
        '/usr/lib/mokodeploy/bin/mokodeploy',
        'hypercare',
        'run',
        id,
        '--as',
        plan.people['technical-lead'],
      ],
      env: { MOKODEPLOY_HOME: '/root/.mokodeploy' },
      user: 'root',
      log: '/var/log/mokodeploy-hypercare.log',
    }),
  };
}

/** The deployment report and the sign-off document of a record created from the plan. */
function recordDocuments(plan: Plan, policy: Policy): Artifact[] {
  const now = new Date('2026-12-01T09:00:00Z');
  const tina = { login: plan.people['technical-lead'], name: 'Tina', roles: ['technical-lead' as const] };
  const record = createDeployment(plan, { policy, actor: tina, now, submit: true });
  return [
    { name: 'deployment report', kind: 'html', content: renderDeploymentReport(record, policy, now) },
    { name: 'sign-off document', kind: 'html', content: renderSignoffDocument(record, policy, now) },
  ];
}

function handoffDocuments(plan: Plan, id: string): Artifact {
  const docs = [
    procedures.adminGuide(plan),
    procedures.userManagement(plan),
    procedures.backupProcedure(id, plan),
    procedures.updateProcedure(id, plan),
    procedures.troubleshooting(id, plan),
    procedures.userGuide(plan),
    architectureSvg(plan),
  ];
  return { name: 'handoff documents', kind: 'html', content: page(plan.clientName, id, docs.join('\n')) };
}

/** Issue 20: the fleet report (HTML file), the dashboard's fleet and job pages, with the plan's values in them. */
function queuePages(plan: Plan, id: string): Artifact[] {
  const who = plan.people['technical-lead'];
  const fleet: FleetRow = {
    id: 'fleet-upgrade-20261212200000-abcd',
    operation: 'upgrade',
    options: { canary: 1, wave: 5 },
    requestedBy: who,
    state: 'halted',
    createdAt: '2026-12-12T20:00:00.000Z',
    finishedAt: null,
    haltedReason: `the canary ${plan.client} failed`,
    members: [
      { client: plan.client, clientName: plan.clientName, deploymentId: id, position: 0, wave: 0, status: 'failed', reason: `error: ${plan.site.domain}`, jobId: 7 },
    ],
  } as unknown as FleetRow;
  const job: JobRow = {
    id: 7,
    command: ['upgrade'],
    deploymentId: id,
    args: { deploymentId: id, as: who, options: { address: plan.site.domain } },
    requestedBy: who,
    requestedVia: 'fleet',
    fleetId: fleet.id,
    state: 'failed',
    attempts: 1,
    worker: { id: 'w1', host: 'worker-1', pid: 42 },
    createdAt: '2026-12-12T20:00:00.000Z',
    startedAt: '2026-12-12T20:00:01.000Z',
    finishedAt: '2026-12-12T20:00:02.000Z',
    exitCode: 1,
    error: `error: ${plan.clientName}`,
    outputTail: `${plan.site.url}\n${plan.database.name}`,
    journalOffsets: {},
    commandMs: 1000,
  };
  const events = [{ seq: 1, at: '2026-12-12T20:00:01.000Z', source: 'journal:x', record: { type: 'run-failed', step: 'upgrade:switch', error: plan.clientName } }];
  const page = { user: { login: who, name: who, roles: ['technical-lead'] }, csrf: 'token', notice: null, canSubmitPlan: false, waiting: 0 };
  return [
    { name: 'fleet report', kind: 'html', content: fleetReportHtml(fleetReport(fleet)).text },
    { name: 'fleet page', kind: 'html', content: fleetPage(page as never, fleet).text },
    { name: 'job page', kind: 'html', content: jobPage(page as never, job, events).text },
  ];
}
