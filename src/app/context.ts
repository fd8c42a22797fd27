import type { KeyObject } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Policy } from '../policy/types.js';
import { loadPolicy } from '../policy/load.js';
import type { Store } from '../store/store.js';
import { defaultStorePath, openStore } from '../store/open.js';
import { defaultAuditKeyFile, readOrCreateAuditSigner, type AuditSigner } from '../audit/signing-key.js';
import type { EvidenceFiles } from '../evidence/files.js';
import { openEvidenceFiles } from '../evidence/open.js';
import { teamSchema, resolveActor, type Actor, type Team } from '../core/team.js';
import { parseYamlWithSchema } from '../core/yaml-input.js';
import { inputError, MokoError } from '../core/errors.js';
import { perform } from '../core/perform.js';
import { operations, type OperationName } from '../core/operations/index.js';
import type { DeploymentRecord, Evidence } from '../core/record.js';
import { recordDiff } from '../audit/entry.js';
import { createOutput, type Output } from './output.js';
import { appNotifier } from '../notify/app-notifier.js';

/**
 * Everything a command needs, passed explicitly (STYLE.md 9): where the store is, the
 * policy, the team, the clock, and the output. Opened lazily, closed once at the end.
 */
export interface AppContext {
  home: string;
  out: Output;
  policy(): Policy;
  store(): Promise<Store>;
  /** Another store than this app's (`store migrate`), signed with the same key; it queues no messages. */
  openOtherStore(where: string, what: string): Promise<Store>;
  /** The audit trail's public key (from the signing key file, created on first use). */
  auditPublicKey(): KeyObject;
  /**
   * The audit signer, once the store is open (so it is the store's own key, checked against the key the store
   * recorded): it signs and checks queue rows (src/queue/signature.ts).
   */
  storeSigner(): Promise<AuditSigner>;
  team(): { team: Team; file: string };
  /** Resolve who acts; an unknown person is refused and the refusal recorded. */
  actor(as?: string): Promise<Actor>;
  now(): Date;
  /** Where evidence files live: `--evidence-store` / MOKODEPLOY_EVIDENCE (an S3 bucket), else `<home>/evidence`. */
  evidenceFiles(): EvidenceFiles;
  /** Another evidence location than this app's (`store migrate --evidence-to`), with the same credentials. */
  openOtherEvidenceFiles(where: string, what: string): EvidenceFiles;
  /** Store bytes as file evidence named `name` (content-addressed; the bytes hashed are the bytes stored). */
  storeEvidence(name: string, content: Buffer): Promise<Evidence>;
  /** Read a file and store it as evidence. */
  storeEvidenceFile(path: string): Promise<Evidence>;
  /**
   * The environment a child `mokodeploy` needs to act on this app's store and evidence (the dashboard's background
   * deploy): what `--store` / `--evidence-store` gave, by environment, never argv (`ps` shows argv to every user).
   */
  childEnv(): Record<string, string>;
  /** Perform a named operation on a deployment as a person: one transaction, one audit entry. */
  act(
    id: string,
    op: OperationName,
    input: unknown,
    as?: string,
    /** `warnings`: collect the operation's warnings here instead of printing them (the HTTP API returns them). */
    opts?: { expectedRevision?: number; warnings?: string[] },
  ): Promise<DeploymentRecord>;
  /** Record a refusal of identity or role in the audit trail, then rethrow it. */
  recordRefusal(error: MokoError, who: string, action: string, deploymentId: string | null): Promise<never>;
  close(): Promise<void>;
}

export interface AppOptions {
  home?: string;
  /** The store: a PostgreSQL URL or sqlite:PATH (`--store`; default $MOKODEPLOY_STORE, else the SQLite file in home). */
  store?: string;
  /** Where evidence files live: s3://BUCKET/PREFIX?endpoint=…&region=… or a directory (`--evidence-store`; default $MOKODEPLOY_EVIDENCE, else <home>/evidence). */
  evidence?: string;
  json?: boolean;
  env?: NodeJS.ProcessEnv;
  stdout?: NodeJS.WritableStream & { isTTY?: boolean };
  stderr?: NodeJS.WritableStream;
  /**
   * The clock. Only code can set it (a test's entry script, test/helpers/clock-bin.mjs): no environment
   * variable or option of the shipped CLI does, so check-ins, trainings and runs carry the real time.
   */
  now?: () => Date;
}

export function createApp(opts: AppOptions = {}): AppContext {
  const env = opts.env ?? process.env;
  const home = resolve(opts.home ?? env.MOKODEPLOY_HOME ?? '.mokodeploy');
  const out = createOutput({
    json: opts.json ?? false,
    stdout: opts.stdout ?? process.stdout,
    stderr: opts.stderr ?? process.stderr,
  });
  let store: Store | undefined;
  let evidence: EvidenceFiles | undefined;
  let signer: AuditSigner | undefined;
  const auditKeyFile = defaultAuditKeyFile(env);
  const auditSigner = () => (signer ??= readOrCreateAuditSigner(auditKeyFile));
  const clock = opts.now ?? (() => new Date());
  let team: { team: Team; file: string } | undefined;
  let teamMtime = 0;

  const app: AppContext = {
    home,
    out,
    childEnv: () => ({
      ...(opts.store ? { MOKODEPLOY_STORE: opts.store } : {}),
      ...(opts.evidence ? { MOKODEPLOY_EVIDENCE: opts.evidence } : {}),
    }),
    policy: () => loadPolicy(env.MOKODEPLOY_POLICY ?? undefined),
    async store() {
      const where = opts.store ?? env.MOKODEPLOY_STORE ?? defaultStorePath(home);
      store ??= await openStore(where, {
        where: opts.store ? '--store' : env.MOKODEPLOY_STORE ? 'MOKODEPLOY_STORE' : undefined,
        auditKeyFile, // signs with the store's own key only (refused otherwise), anchors beside it
        loadSigner: auditSigner,
        notify: appNotifier(app, env), // issue 16: messages queued in the transaction of their event
      });
      return store;
    },
    openOtherStore: (where, what) => openStore(where, { where: what, auditKeyFile, loadSigner: auditSigner }),
    auditPublicKey: () => auditSigner().publicKey,
    async storeSigner() {
      await app.store(); // refuses a key that is not the store's
      return auditSigner();
    },
    team() {
      // re-read when the file changed: a long-running `serve` sees people and roles edited in it
      if (team && existsSync(team.file) && statSync(team.file).mtimeMs === teamMtime) return team;
      const file = resolve(
        env.MOKODEPLOY_TEAM ?? (existsSync('team.yaml') ? 'team.yaml' : join(home, 'team.yaml')),
      );
      if (!existsSync(file)) {
        throw inputError('no team file', {
          where: file,
          fix: 'create team.yaml (people with login, name, roles) or run `mokodeploy init CLIENT`, or set MOKODEPLOY_TEAM',
        });
      }
      teamMtime = statSync(file).mtimeMs;
      team = { team: parseYamlWithSchema(readFileSync(file), file, teamSchema, 'team'), file };
      return team;
    },
    async actor(as) {
      const login = as ?? env.MOKODEPLOY_AS;
      const { team: t, file } = app.team();
      try {
        return resolveActor(t, login, file);
      } catch (e) {
        if (e instanceof MokoError) return app.recordRefusal(e, login ?? '(nobody)', 'identify', null);
        throw e;
      }
    },
    now: () => clock(),
    evidenceFiles: () =>
      (evidence ??= openEvidenceFiles(opts.evidence ?? env.MOKODEPLOY_EVIDENCE, {
        home,
        where: opts.evidence ? '--evidence-store' : 'MOKODEPLOY_EVIDENCE',
        env,
      })),
    openOtherEvidenceFiles: (where, what) => openEvidenceFiles(where, { home, where: what, env }),
    async storeEvidence(name, content) {
      const sha256 = await app.evidenceFiles().put(content);
      return { kind: 'file', name, sha256, size: content.length };
    },
    async storeEvidenceFile(path) {
      let content: Buffer;
      try {
        if (!statSync(path).isFile()) throw new Error('not a regular file');
        content = readFileSync(path);
      } catch (e) {
        throw inputError(`cannot read the evidence file: ${(e as Error).message}`, {
          where: path,
          fix: 'give the path of an existing file',
        });
      }
      // one read: the bytes hashed are the bytes stored, never a second copy from a file that may change meanwhile
      return app.storeEvidence(basename(path), content);
    },
    async act(id, opName, input, as, actOpts) {
      const actor = await app.actor(as);
      const s = await app.store();
      const ctx = { policy: app.policy(), now: app.now(), actor, warnings: [] as string[] };
      try {
        const record = await s.mutate(
          id,
          (before) => {
            const done = perform(operations[opName], before, input, ctx);
            const diff = recordDiff(before, done.record);
            return {
              record: done.record,
              audit: {
                at: ctx.now.toISOString(),
                actor: actor.login,
                role: done.role,
                action: opName,
                deploymentId: id,
                summary: done.summary,
                ...diff,
              },
            };
          },
          actOpts,
        );
        if (actOpts?.warnings) actOpts.warnings.push(...ctx.warnings);
        else for (const w of ctx.warnings) out.warn(w);
        return record;
      } catch (e) {
        if (e instanceof MokoError && e.security) return app.recordRefusal(e, actor.login, opName, id);
        throw e;
      }
    },
    async recordRefusal(error, who, action, deploymentId) {
      const s = await app.store();
      await s.appendAudit({
        at: app.now().toISOString(),
        actor: who,
        role: '-',
        action: `refused:${action}`,
        deploymentId,
        summary: error.message,
        before: null,
        after: null,
      });
      throw error;
    },
    async close() {
      await store?.close();
      store = undefined;
      evidence?.close();
      evidence = undefined;
    },
  };
  return app;
}
