import { join, resolve } from 'node:path';
import { readLiveDatabase } from '../../backup/live-database.js';
import type { CommandModule } from './module.js';
import type { AppContext } from '../../app/context.js';
import { loadRecord } from './records.js';
import { inputError } from '../../core/errors.js';
import type { DeploymentRecord } from '../../core/record.js';
import { openHost } from '../../hosts/open.js';
import { SecretStore } from '../../store/secrets.js';
import { DbClient } from '../../verify/db-query.js';
import { gatherHandoff, type Contact } from '../../reports/handoff-data.js';
import { renderHandoff } from '../../reports/handoff.js';
import { renderSignoffDocument } from '../../reports/signoff-doc.js';
import { renderDeploymentReport } from '../../reports/deployment-report.js';
import { writeDocument, type WrittenDocument } from '../../reports/write.js';
import { recordGenerated } from './report-record.js';

const kinds = ['handoff', 'signoff', 'deployment'] as const;
type Kind = (typeof kinds)[number];

/** The plan's people by role, with names and mail from the team file when it knows them. */
export function contactsOf(a: AppContext, r: DeploymentRecord): Contact[] {
  let people: { login: string; name: string; email?: string }[] = [];
  try {
    people = a.team().team.people;
  } catch {
    people = [];
  }
  return Object.entries(r.plan.people).map(([role, login]) => {
    const p = people.find((x) => x.login === login);
    return { role, login, name: p?.name ?? login, email: p?.email };
  });
}

async function handoffHtml(a: AppContext, r: DeploymentRecord): Promise<string> {
  const host = openHost(r.plan.target);
  const secrets = new SecretStore(a.home);
  try {
    const db = new DbClient(
      host,
      r.plan.database,
      () => secrets.get(r.plan.database.password.secret),
      () => readLiveDatabase(host, r.plan), // issue 19: an upgrade by copy moves the site to <name>_mk<stamp>
    );
    const data = await gatherHandoff({ record: r, host, db, now: a.now(), contacts: contactsOf(a, r) });
    await db.dispose();
    return renderHandoff(data, a.policy());
  } finally {
    await host.close();
  }
}

export async function writeReport(
  a: AppContext,
  r: DeploymentRecord,
  kind: Kind,
  dir: string,
  pdf: boolean,
): Promise<WrittenDocument> {
  const html =
    kind === 'handoff'
      ? await handoffHtml(a, r)
      : kind === 'signoff'
        ? renderSignoffDocument(r, a.policy(), a.now())
        : renderDeploymentReport(r, a.policy(), a.now());
  return writeDocument(dir, `${r.id}-${kind}`, html, {
    pdf,
    footer: `${r.plan.clientName} · ${r.id} · ${kind}`,
  });
}

export const reportCommands: CommandModule = {
  register(program, app) {
    program
      .command('report <id> <kind>')
      .description(
        'write the handoff pack, the sign-off document or the deployment report as HTML and PDF (kind: handoff | signoff | deployment | all)',
      )
      .option('--out <dir>', 'where to write (default: reports/<id>)')
      .option('--no-pdf', 'HTML only (no Chromium)')
      .option('--as <login>', 'who generates it: recorded on the deployment by its sha256')
      .action(async (id: string, kind: string, o: { out?: string; pdf: boolean; as?: string }) => {
        const a = app();
        const picked = kind === 'all' ? [...kinds] : [kind];
        const bad = picked.filter((k) => !(kinds as readonly string[]).includes(k));
        if (bad.length)
          throw inputError(`unknown report kind "${kind}"`, { fix: `one of: ${kinds.join(', ')}, all` });
        const { record } = await loadRecord(a, id);
        const dir = resolve(o.out ?? join('reports', id));
        const written: Record<string, WrittenDocument> = {};
        for (const k of picked as Kind[]) written[k] = await writeReport(a, record, k, dir, o.pdf);
        for (const k of picked as Kind[]) await recordGenerated(a, id, k, written[k]!, o.as);
        a.out.result(written, () =>
          [
            ...Object.entries(written).map(
              ([k, w]) => `${k}: ${w.html}${w.pdf ? `\n${' '.repeat(k.length + 2)}${w.pdf}` : ''}`,
            ),
            written.handoff?.pdf
              ? `deliver it: mokodeploy handoff-deliver ${id} --file ${written.handoff.pdf}`
              : '',
          ]
            .filter(Boolean)
            .join('\n'),
        );
      });
  },
};
