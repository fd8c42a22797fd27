import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, password, type Dashboard } from '../web/helpers/dashboard.js';
import { FormBrowser } from '../web/helpers/form-browser.js';
import { seedDeployment } from '../web/helpers/walk.js';

/** Issue 16: the dashboard shows a deployment's outbox (to whom, which event, status), escaped. */
let d: Dashboard;
let dave: FormBrowser;
beforeAll(async () => {
  d = await startDashboard();
  dave = new FormBrowser(d.url);
  await dave.login('dave', password('dave'));
});
afterAll(async () => d?.close());

describe('the outbox on the deployment page', () => {
  it('lists the queued window message to the approver, the name escaped', async () => {
    const contacts = [{ name: 'Jane <b>Client</b>', email: 'jane@acme.test', role: 'approver' as const }];
    const id = await seedDeployment(d.app, d.planYaml({ id: 'outbox-view', contacts }), 'scheduled');
    const other = await seedDeployment(d.app, d.planYaml({ id: 'outbox-other', contacts }), 'ready');
    const page = await dave.page(`/deployments/${id}`);
    expect(page.text).toContain('Messages');
    expect(page.text).toContain('window-scheduled');
    expect(page.text).toContain('Jane &lt;b&gt;Client&lt;/b&gt; &lt;jane@acme.test&gt;');
    expect(page.text).not.toContain('<b>Client</b>');
    expect(page.text).toMatch(/queued, next try/);
    const quiet = await dave.page(`/deployments/${other}`);
    expect(quiet.text).toContain('No messages to the client or the team yet.');
  });
});
