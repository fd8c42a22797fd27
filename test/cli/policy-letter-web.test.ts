import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, password, type Dashboard } from '../web/helpers/dashboard.js';
import { FormBrowser } from '../web/helpers/form-browser.js';
import { seedDeployment } from '../web/helpers/walk.js';

/**
 * Issue 16 on the dashboard: a live deployment shows the knowledge-base form (policy "Deployment Sign-Off —
 * Knowledge base updated"); a link recorded there closes that gate; a note alone is refused.
 */
let d: Dashboard;
let dave: FormBrowser;
beforeAll(async () => {
  d = await startDashboard();
  dave = new FormBrowser(d.url);
  await dave.login('dave', password('dave'));
});
afterAll(async () => d?.close());

describe('the knowledge-base update from the dashboard', () => {
  it('is offered on a live deployment, refuses a note alone, records a link', async () => {
    const id = await seedDeployment(d.app, d.planYaml({ id: 'kb-form' }), 'live');
    const page = await dave.page(`/deployments/${id}`);
    expect(page.text).toContain('Record the knowledge-base update (a link or a file)');
    const note = await dave.submit(`/deployments/${id}/actions/knowledge-base`, { evidence: 'updated the wiki' });
    expect(note.status).toBe(400);
    const res = await dave.submit(`/deployments/${id}/actions/knowledge-base`, { link: 'https://kb.example/acme' });
    expect(res.status).toBe(303);
    const record = (await (await d.app.store()).get(id))!.record;
    expect(record.documents).toEqual([
      expect.objectContaining({ kind: 'knowledge-base', by: 'dave', evidence: [{ kind: 'link', url: 'https://kb.example/acme' }] }),
    ]);
  });
});
