import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { workspace } from '../helpers/cli.js';
import { planInput } from '../helpers/records.js';

function seeded() {
  const ws = workspace();
  ws.writePlan('plan.yaml', planInput());
  expect(ws.run(['plan', 'submit', 'plan.yaml', '--as', 'tina']).code).toBe(0);
  return ws;
}

describe('bad input: a clear error, a non-zero exit, and the store exactly as before', () => {
  const cases: {
    name: string;
    setup?: (ws: ReturnType<typeof seeded>) => void;
    args: string[];
    code: number;
    message: RegExp;
  }[] = [
    {
      name: 'malformed YAML',
      setup: (ws) => ws.writePlan('bad.yaml', 'client: acme\n  kind: [new\n'),
      args: ['plan', 'submit', 'bad.yaml', '--as', 'tina'],
      code: 2,
      message: /not valid YAML\n {2}bad.yaml:\d+:\d+/,
    },
    {
      name: 'an unknown field',
      setup: (ws) => ws.writePlan('bad.yaml', stringify({ ...planInput({ id: 'acme-2' }), colour: 'red' })),
      args: ['plan', 'submit', 'bad.yaml', '--as', 'tina'],
      code: 2,
      message: /bad.yaml:\d+:\d+ \(top level\): unknown field\(s\) "colour"/,
    },
    {
      name: 'a wrong type',
      setup: (ws) =>
        ws.writePlan(
          'bad.yaml',
          stringify(planInput({ id: 'acme-2' })).replace('host: local', 'host: local\n  port: "22a"'),
        ),
      args: ['plan', 'submit', 'bad.yaml', '--as', 'tina'],
      code: 2,
      message: /bad.yaml:\d+:9 target.port: .*number/,
    },
    {
      name: 'an unknown deployment id',
      args: ['approve', 'nope-2026-01', '--as', 'dave'],
      code: 3,
      message: /no deployment nope-2026-01\n {2}fix: list them with: mokodeploy list/,
    },
    {
      name: 'an illegal transition',
      args: ['close', 'acme-2026-12', '--as', 'dave'],
      code: 4,
      message: /acme-2026-12 is submitted; it cannot move to closed/,
    },
    {
      name: 'a tick of an unknown item',
      args: ['tick', 'acme-2026-12', 'coffee', '--as', 'quinn', '--evidence', 'x'],
      code: 3,
      message: /no checklist item "coffee"/,
    },
    {
      name: 'a tick without evidence',
      args: ['tick', 'acme-2026-12', 'security-scan', '--as', 'quinn'],
      code: 2,
      message: /a tick needs evidence/,
    },
    {
      name: 'a missing evidence file',
      args: ['tick', 'acme-2026-12', 'security-scan', '--as', 'quinn', '--file', '/nonexistent/scan.pdf'],
      code: 2,
      message: /\/nonexistent\/scan.pdf: cannot read the evidence file/,
    },
    {
      name: 'a duplicate deployment',
      args: ['plan', 'submit', 'plan.yaml', '--as', 'tina'],
      code: 5,
      message: /a deployment acme-2026-12 already exists/,
    },
    {
      name: 'a bad satisfaction score',
      args: ['satisfaction', 'acme-2026-12', 'great', '--as', 'carla'],
      code: 4,
      message: /"great" is not a number/,
    },
    { name: 'an unknown command', args: ['deploy-everything'], code: 2, message: /unknown command/ },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const ws = seeded();
      c.setup?.(ws);
      const before = ws.dumpStore();
      const r = ws.run(c.args);
      expect(r.stderr).toMatch(c.message);
      expect(r.code).toBe(c.code);
      expect(r.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
      expect(ws.dumpStore()).toBe(before);
    });
  }
});

describe('identity', () => {
  it('an unknown person is refused with the people one may act as, and the refusal is recorded', () => {
    const ws = seeded();
    const r = ws.run(['approve', 'acme-2026-12', '--as', 'mallory']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('"mallory" is not in the team file');
    expect(r.stderr).toContain('tina, dave, dora, carla, quinn');
    const audit = ws
      .run(['audit', 'export'])
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(audit.at(-1)).toMatchObject({ actor: 'mallory', action: 'refused:identify' });
    expect(ws.run(['--json', 'show', 'acme-2026-12']).stdout).toContain('"state": "submitted"');
  });

  it('a missing role is refused and recorded; nobody at all is refused too', () => {
    const ws = seeded();
    const r = ws.run(['approve', 'acme-2026-12', '--as', 'quinn']);
    expect(r.code).toBe(4);
    const last = JSON.parse(ws.run(['audit', 'export']).stdout.trim().split('\n').at(-1)!);
    expect(last).toMatchObject({ actor: 'quinn', action: 'refused:approve', deploymentId: 'acme-2026-12' });
    expect(ws.run(['approve', 'acme-2026-12']).stderr).toContain('no person given');
  });

  it('MOKODEPLOY_AS names the person when --as is absent', () => {
    const ws = seeded();
    expect(ws.run(['approve', 'acme-2026-12'], { MOKODEPLOY_AS: 'dave' }).code).toBe(0);
  });
});
