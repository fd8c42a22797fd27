import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { stringify } from 'yaml';
import { createApp, type AppContext } from '../../../src/app/context.js';
import { buildServer, type ServerOptions } from '../../../src/server/server.js';
import { hashPassword, PasswordFile } from '../../../src/server/passwords.js';
import { teamYaml } from '../../helpers/cli.js';
import { planInput } from '../../helpers/records.js';

export const password = (login: string) => `${login}-has-a-long-passphrase`;
export const logins = ['tina', 'dave', 'dora', 'carla', 'quinn'] as const;

export interface Dashboard {
  url: string;
  dir: string;
  app: AppContext;
  server: FastifyInstance;
  planYaml(overrides?: Parameters<typeof planInput>[0]): string;
  close(): Promise<void>;
}

/** A real server on 127.0.0.1 (free port) over a fresh store, the test team, and a password for each person. */
export async function startDashboard(opts: Partial<Omit<ServerOptions, 'app'>> = {}): Promise<Dashboard> {
  const dir = mkdtempSync(join(tmpdir(), 'moko-web-'));
  writeFileSync(join(dir, 'team.yaml'), teamYaml);
  const app = createApp({ home: join(dir, 'home'), env: { MOKODEPLOY_TEAM: join(dir, 'team.yaml') } });
  const passwords = new PasswordFile(app.home);
  for (const login of logins) passwords.write(login, await hashPassword(password(login)));
  const server = await buildServer({
    app,
    sessionKeyFile: join(dir, 'config', 'session.key'),
    journalPollMs: 100,
    ...opts,
  });
  const url = await server.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    dir,
    app,
    server,
    planYaml: (overrides = {}) => stringify(planInput(overrides)),
    async close() {
      await server.close();
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
