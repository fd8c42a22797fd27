import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, password, type Dashboard } from './helpers/dashboard.js';
import { ApiClient } from './helpers/api-client.js';
import { hashPassword, PasswordFile } from '../../src/server/passwords.js';

let d: Dashboard;
beforeAll(async () => {
  d = await startDashboard({ loginPerIpPerMinute: 100, loginFailuresPerAccount: 3 });
});
afterAll(async () => d?.close());

describe('authentication', () => {
  it('refuses the API without a session (401 JSON with a fix) and sends pages to the login form', async () => {
    const c = new ApiClient(d.url);
    const api = await c.get('/api/deployments');
    expect(api.status).toBe(401);
    expect(api.data).toMatchObject({ error: 'not logged in', kind: 'http' });
    expect(api.data.fix).toContain('/api/login');
    const page = await c.get('/deployments/x');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login?next=%2Fdeployments%2Fx');
  });

  it('logs in with the right password only, and the same message for an unknown login', async () => {
    const c = new ApiClient(d.url);
    const wrong = await c.login('dora', 'not-her-password');
    expect(wrong.status).toBe(401);
    const unknown = await c.login('mallory', 'whatever-password');
    expect(unknown.status).toBe(401);
    expect(unknown.data.error).toBe(wrong.data.error);
    const ok = await c.login('tina', password('tina'));
    expect(ok.status).toBe(200);
    expect(ok.data.user).toEqual({ login: 'tina', name: 'Tina Tech', roles: ['technical-lead'] });
    expect((await c.get('/api/deployments')).status).toBe(200);
    await c.post('/api/logout');
    expect((await c.get('/api/deployments')).status).toBe(401);
  });

  it('ends the sessions opened with a password once it is reset', async () => {
    const c = new ApiClient(d.url);
    expect((await c.login('dora', password('dora'))).status).toBe(200);
    expect((await c.get('/api/deployments')).status).toBe(200);
    new PasswordFile(d.app.home).write('dora', await hashPassword('dora-has-a-new-passphrase'));
    expect((await c.get('/api/deployments')).status).toBe(401);
    expect((await c.login('dora', 'dora-has-a-new-passphrase')).status).toBe(200);
    expect((await c.get('/api/deployments')).status).toBe(200);
  });

  it('seals the session in an HttpOnly, SameSite=Strict cookie; key and password files are 0600', async () => {
    const res = await fetch(new URL('/api/session', d.url));
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^mokodeploy_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).not.toMatch(/tina|login/);
    expect(statSync(join(d.dir, 'config', 'session.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(d.app.home, 'passwords.json')).mode & 0o777).toBe(0o600);
  });
});

describe('CSRF', () => {
  it('refuses a state-changing API call without the token or with a wrong one, and accepts the right one', async () => {
    const c = new ApiClient(d.url);
    await c.login('tina', password('tina'));
    const none = await c.post('/api/plans', { yaml: d.planYaml({ id: 'csrf-1' }), csrf: null });
    expect(none.status).toBe(403);
    expect(none.data.error).toMatch(/csrf/i);
    const bad = await c.post('/api/plans', { yaml: d.planYaml({ id: 'csrf-1' }), csrf: 'forged-token' });
    expect(bad.status).toBe(403);
    expect(await (await d.app.store()).get('csrf-1')).toBeUndefined();
    const good = await c.post('/api/plans', { yaml: d.planYaml({ id: 'csrf-1' }) });
    expect(good.status).toBe(201);
  });

  it('refuses a token from another session', async () => {
    const a = new ApiClient(d.url);
    const b = new ApiClient(d.url);
    await a.login('tina', password('tina'));
    await b.login('dave', password('dave'));
    const stolen = await b.post('/api/deployments/csrf-1/operations/approve', { json: {}, csrf: a.csrf });
    expect(stolen.status).toBe(403);
    expect((await (await d.app.store()).get('csrf-1'))!.record.state).toBe('submitted');
  });

  it('redirects after a form login only to a path on this site (no open redirect)', async () => {
    for (const [next, expected] of [
      ['/deployments/x', '/deployments/x'],
      ['//evil.example/', '/'],
      ['https://evil.example/', '/'],
      ['/\\evil.example', '/'],
    ]) {
      const c = new ApiClient(d.url);
      await c.session();
      const res = await fetch(new URL('/login', d.url), {
        method: 'POST',
        headers: { cookie: c.cookie },
        body: new URLSearchParams({ _csrf: c.csrf, login: 'tina', password: password('tina'), next: next! }),
        redirect: 'manual',
      });
      expect({ next, location: res.headers.get('location') }).toEqual({ next, location: expected });
    }
  });

  it('refuses a login form posted without the token', async () => {
    const res = await fetch(new URL('/login', d.url), {
      method: 'POST',
      body: new URLSearchParams({ login: 'tina', password: password('tina') }),
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
  });
});

describe('login rate limiting', () => {
  it('locks one login after repeated failures, even with the right password next', async () => {
    const c = new ApiClient(d.url);
    for (let i = 0; i < 3; i++) expect((await c.login('carla', 'wrong-password-guess')).status).toBe(401);
    const locked = await c.login('carla', password('carla'));
    expect(locked.status).toBe(429);
    expect(locked.data.error).toMatch(/too many failed logins/);
    // other people are not affected
    expect((await c.login('quinn', password('quinn'))).status).toBe(200);
  });

  it('limits login attempts per IP, across logins, on the API and on the form (each endpoint counts)', async () => {
    const own = await startDashboard({ loginPerIpPerMinute: 4 });
    try {
      const c = new ApiClient(own.url);
      const statuses: number[] = [];
      for (const login of ['tina', 'dave', 'dora', 'carla'])
        statuses.push((await c.login(login, 'wrong-guess')).status);
      expect(statuses).toEqual([401, 401, 401, 401]);
      const limited = await c.post('/api/login', { json: { login: 'quinn', password: password('quinn') } });
      expect(limited.status).toBe(429);
      const postForm = (login: string, pw: string) =>
        fetch(new URL('/login', own.url), {
          method: 'POST',
          headers: { cookie: c.cookie },
          body: new URLSearchParams({ _csrf: c.csrf, login, password: pw }),
          redirect: 'manual',
        });
      const formStatuses: number[] = [];
      for (const login of ['tina', 'dave', 'dora', 'carla'])
        formStatuses.push((await postForm(login, 'wrong-guess')).status);
      expect(formStatuses).toEqual([401, 401, 401, 401]);
      expect((await postForm('quinn', password('quinn'))).status).toBe(429);
    } finally {
      await own.close();
    }
  });
});

describe('security headers', () => {
  it('sends the headers we grade clients on, on pages, API and assets; no HSTS without TLS', async () => {
    for (const path of ['/login', '/api/session', '/assets/app.css']) {
      const res = await fetch(new URL(path, d.url));
      expect(res.status).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('permissions-policy')).toContain('camera=()');
      expect(res.headers.get('strict-transport-security')).toBeNull();
    }
  });

  it('has no inline script or style in its pages', async () => {
    const page = await (await fetch(new URL('/login', d.url))).text();
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)(?![^>]*type="application\/json")[^>]*>/);
    expect(page).not.toMatch(/\sstyle=|<style/);
    expect(page).toMatch(/<label for="login">/);
    expect(page).toMatch(/<main id="main">/);
  });
});

describe('the team file decides', () => {
  it('ends access for a person removed from the team file, and applies changed roles, without a restart', async () => {
    const teamFile = join(d.dir, 'team.yaml');
    const original = readFileSync(teamFile, 'utf8');
    const c = new ApiClient(d.url);
    expect((await c.login('quinn', password('quinn'))).data.user.roles).toEqual(['qa']);
    try {
      writeFileSync(teamFile, original.replace('roles: [qa]', 'roles: [qa, technical-lead]'));
      expect((await c.get('/api/session')).data.user.roles).toEqual(['qa', 'technical-lead']);
      writeFileSync(
        teamFile,
        original
          .split('\n')
          .filter((l) => !l.includes('quinn'))
          .join('\n'),
      );
      expect((await c.get('/api/deployments')).status).toBe(401);
    } finally {
      writeFileSync(teamFile, original);
    }
  });
});
