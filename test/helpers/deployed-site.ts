import { expect } from 'vitest';
import type { DeployTarget } from './deploy-target.js';

/**
 * After `mokodeploy deploy` of a DeployTarget: its record is verifying with a succeeded last run, and once PHP-FPM
 * and nginx serve what the install wrote, the admin logs in through the real form over HTTPS.
 */
export async function expectDeployedSiteServing(t: DeployTarget): Promise<void> {
  const record = JSON.parse(t.ws.run(['--json', 'show', t.id]).stdout);
  expect(record.state).toBe('verifying');
  expect(record.runs.at(-1)).toMatchObject({ outcome: 'succeeded' });
  await t.serve();
  const login = await t.login();
  expect(login.ok, login.reason).toBe(true);
}
