import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPolicy, defaultPolicyPath } from '../../src/policy/load.js';
import { readPlanFile } from '../../src/cli/plan-file.js';
import { MokoError } from '../../src/core/errors.js';
import { planJsonSchema } from '../../src/core/plan.js';
import { stringify } from 'yaml';
import { planInput } from '../helpers/records.js';

const dir = mkdtempSync(join(tmpdir(), 'moko-inputs-'));
const errorOf = (fn: () => unknown): MokoError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof MokoError) return e;
    throw e;
  }
  throw new Error('expected an error');
};

describe('policy file', () => {
  it('loads the shipped policy with every section', () => {
    const p = loadPolicy();
    expect(p.checklist.mandatory).toHaveLength(10);
    expect(p.environment.server.php.min).toBe('8.1');
    expect(p.signoffs.kinds.map((k) => k.id)).toEqual(['technical', 'go-live', 'client']);
  });

  it('names file, line and field of a broken threshold', () => {
    const text = readFileSync(defaultPolicyPath, 'utf8').replace(
      'diskFreeGb: { id: env.server.disk, min: 20 }',
      'diskFreeGb: { id: env.server.disk, min: twenty }',
    );
    const file = join(dir, 'broken-policy.yaml');
    writeFileSync(file, text);
    const e = errorOf(() => loadPolicy(file));
    const line = text.split('\n').findIndex((l) => l.includes('min: twenty')) + 1;
    expect(e.details[0]).toMatch(
      new RegExp(`broken-policy.yaml:${line}:\\d+ environment.server.diskFreeGb.min: .*number`),
    );
  });

  it('refuses duplicate checklist ids', () => {
    const text = readFileSync(defaultPolicyPath, 'utf8').replace(
      '{ id: rollback-plan,',
      '{ id: security-scan,',
    );
    const file = join(dir, 'dup-policy.yaml');
    writeFileSync(file, text);
    expect(errorOf(() => loadPolicy(file)).details.join()).toContain('"security-scan" is used twice');
  });
});

describe('plan file', () => {
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('reads a valid plan with defaults applied', () => {
    const { plan } = readPlanFile(write('ok.yaml', stringify(planInput())));
    expect(plan.target.port).toBe(22);
    expect(plan.database.type).toBe('mariadb');
  });

  it('gives file:line:column, field and expectation for a wrong type', () => {
    const text = stringify(planInput()).replace('host: local', 'host: local\n  port: 22a');
    const e = errorOf(() => readPlanFile(write('bad-port.yaml', text)));
    const line = text.split('\n').findIndex((l) => l.includes('port: 22a')) + 1;
    expect(e.kind).toBe('input');
    expect(e.details[0]).toMatch(new RegExp(`bad-port.yaml:${line}:9 target.port: .*number`));
  });

  it('names unknown fields and collects every problem', () => {
    const text = stringify({ ...planInput(), colour: 'blue', kind: 'sideways' });
    const e = errorOf(() => readPlanFile(write('unknown.yaml', text)));
    expect(e.details.some((d) => d.includes('unknown field(s) "colour"'))).toBe(true);
    expect(e.details.some((d) => /kind: .*"new"/.test(d))).toBe(true);
  });

  it('reports malformed YAML with its position', () => {
    const e = errorOf(() => readPlanFile(write('malformed.yaml', 'client: acme\n  kind: [new\n')));
    expect(e.message).toContain('not valid YAML');
    expect(e.details[0]).toMatch(/malformed.yaml:\d+:\d+/);
  });

  it('a missing file says so', () => {
    expect(errorOf(() => readPlanFile(join(dir, 'nope.yaml'))).message).toContain('ENOENT');
  });

  it('exports a JSON Schema that knows the fields', () => {
    const schema = planJsonSchema() as { properties: Record<string, unknown>; additionalProperties: boolean };
    expect(Object.keys(schema.properties)).toContain('customModules');
    expect(schema.additionalProperties).toBe(false);
  });
});
