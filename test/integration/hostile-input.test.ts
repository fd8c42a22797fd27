import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MokoError } from '../../src/core/errors.js';
import { planSchema, type Plan } from '../../src/core/plan.js';
import { parseYamlWithSchema } from '../../src/core/yaml-input.js';
import { loadPolicy } from '../../src/policy/load.js';
import { renderArtifacts, type Artifact } from '../helpers/hostile/artifacts.js';
import {
  apacheTest,
  fpmTest,
  nginxTest,
  optionNames,
  phpShapes,
  type BinaryResult,
} from '../helpers/hostile/binaries.js';
import { benignPlan, payloads } from '../helpers/hostile/plan.js';
import { fieldName, getIn, setIn, stringFields } from '../helpers/hostile/schema-walk.js';
import { shapeOf } from '../helpers/hostile/structure.js';
import { makeCertificate, makeTempDir, removeDir } from '../helpers/services/index.js';

/**
 * Issue 12, point 3: every string field of the plan schema (found by walking it, so new fields are covered)
 * with every hostile payload. Either `plan check` refuses the plan (with file:line:col and the field), or every
 * artifact rendered from it has the same structure as with the benign value, as the real readers see it:
 * nginx -t, apache2 -t, php-fpm8.2 -t, PHP's parser on conf.php, my_print_defaults on option files, and the
 * argv layout of every command of the install pipeline's dry-run listing.
 */
const dir = makeTempDir('hostile');
const policy = loadPolicy();
const input = benignPlan(dir);
const fields = stringFields(planSchema);

type Outcome = { field: string; payload: string } & (
  { refused: true; details: string[] } | { refused: false; artifacts: Artifact[] }
);
const outcomes: Outcome[] = [];
let benign: Artifact[] = [];

beforeAll(() => {
  const cert = makeCertificate({ cn: 'crm.acme.test' });
  mkdirSync(join(dir, 'tls'), { recursive: true });
  copyFileSync(cert.certPath, join(dir, 'tls/cert.pem'));
  copyFileSync(cert.keyPath, join(dir, 'tls/key.pem'));
  copyFileSync(cert.chainPath!, join(dir, 'tls/chain.pem'));
  mkdirSync(join(dir, 'root/shared/conf'), { recursive: true });
  copyFileSync(cert.fullchainPath, join(dir, 'root/shared/conf/tls-fullchain.pem'));
  benign = renderArtifacts(planSchema.parse(input), policy);
  for (const path of fields) {
    const value = getIn(input, path);
    if (typeof value !== 'string') continue; // reported by the coverage test below
    for (const [payload, make] of Object.entries(payloads)) {
      const hostile = setIn(input, path, make(value));
      const field = fieldName(path);
      const parsed = planSchema.safeParse(hostile);
      if (!parsed.success) {
        outcomes.push({ field, payload, refused: true, details: yamlRefusal(hostile) });
        continue;
      }
      outcomes.push({
        field,
        payload,
        refused: false,
        artifacts: renderArtifacts(parsed.data as Plan, policy),
      });
    }
  }
  const accepted = outcomes.filter((o) => !o.refused).map((o) => `${o.field}/${o.payload}`);
  console.log(`accepted by plan check: ${accepted.join(', ')}`);
  console.log(
    `hostile input: ${fields.length} string fields x ${Object.keys(payloads).length} payloads = ${outcomes.length} plans tried; ` +
      `${outcomes.filter((o) => o.refused).length} refused by plan check, ` +
      `${rendered().length} rendered and compared (${refusedByRenderer()} artifact groups refused by a renderer)`,
  );
});
afterAll(() => removeDir(dir));

/** The same plan through the YAML edge, as `plan check` reads it: the problems with their file:line:col. */
function yamlRefusal(plan: unknown): string[] {
  try {
    parseYamlWithSchema(stringify(plan), 'plans/hostile.yaml', planSchema, 'plan');
    return ['(accepted through YAML)'];
  } catch (e) {
    return e instanceof MokoError ? e.details : [String(e)];
  }
}

const refusedByRenderer = () =>
  rendered().flatMap((o) => o.artifacts.filter((a) => a.kind === 'refused')).length;
const rendered = () => outcomes.filter((o): o is Extract<Outcome, { refused: false }> => !o.refused);

describe('hostile input (issue 12)', () => {
  it('walks the schema: every string field has a benign value to turn hostile', () => {
    const missing = fields.filter((p) => typeof getIn(input, p) !== 'string').map(fieldName);
    expect(missing, 'add a benign value for these fields to test/helpers/hostile/plan.ts').toEqual([]);
    expect(fields.length).toBeGreaterThan(60);
    expect(fields.map(fieldName)).toEqual(
      expect.arrayContaining(['target.root', 'site.domain', 'people.qa', 'users[0].rights[0]']),
    );
  });

  it('a refused plan names the field with file:line:col, as plan check prints it', () => {
    for (const o of outcomes.filter((x) => x.refused)) {
      const field = o.field.replace(/\[(\d+)\]/g, '.$1');
      expect(
        o.details.some(
          (d) => d.startsWith('plans/hostile.yaml:') && /:\d+:\d+ /.test(d) && d.includes(` ${field}:`),
        ),
        `${o.field} / ${o.payload}: ${o.details.join('; ')}`,
      ).toBe(true);
    }
  });

  it('the values the issue reproduced are refused at plan check', () => {
    const refused = (field: string, payload: string) =>
      outcomes.find((o) => o.field === field && o.payload === payload)?.refused;
    for (const p of ['newline', 'semicolon', 'braces', 'hash'])
      expect(refused('site.domain', p), p).toBe(true);
    for (const f of [
      'target.root',
      'target.phpFpmPoolDir',
      'target.phpFpmSocket',
      'target.webUser',
      'site.url',
    ])
      for (const p of Object.keys(payloads)) expect(refused(f, p), `${f} ${p}`).toBe(true);
    // a MariaDB account or a team login may hold dots (app.user, jean.dupont): every other payload is refused
    for (const f of ['database.admin.user', 'people.technical-lead', 'people.qa'])
      for (const p of Object.keys(payloads).filter((x) => x !== 'dot-dot'))
        expect(refused(f, p), `${f} ${p}`).toBe(true);
  });

  it('every accepted plan renders every artifact with the structure of the benign plan (or a renderer refuses it)', () => {
    const key = (a: Artifact) => a.name.replace(/[ #].*$/, '');
    const shapes = (list: Artifact[]) => list.map((a) => [a.name.replace(/ \/.*$/, ''), a.kind, shapeOf(a)]);
    expect(benign.filter((a) => a.kind === 'refused')).toEqual([]);
    for (const o of rendered()) {
      const refusedGroups = new Set(o.artifacts.filter((a) => a.kind === 'refused').map((a) => a.name));
      const comparable = (list: Artifact[]) =>
        list.filter((a) => a.kind !== 'refused' && !refusedGroups.has(key(a)));
      expect(shapes(comparable(o.artifacts)), `${o.field} / ${o.payload}`).toEqual(
        shapes(comparable(benign)),
      );
    }
    expect(rendered().length).toBeGreaterThan(0);
  });

  it('the real readers parse every distinct artifact to the benign structure (nginx, Apache, PHP-FPM, PHP, MariaDB)', async () => {
    const distinct = (kind: Artifact['kind']) => {
      const seen = new Map<string, string>();
      for (const a of [...benign, ...rendered().flatMap((o) => o.artifacts)].filter((x) => x.kind === kind))
        if (!seen.has(a.content)) seen.set(a.content, a.name);
      return [...seen.keys()];
    };
    const checks: [string, string[], (c: string, n: number) => Promise<BinaryResult>][] = [
      ['nginx', distinct('nginx'), (c, n) => nginxTest(dir, c, n)],
      ['apache', distinct('apache'), (c, n) => apacheTest(dir, c, n)],
      ['pool', distinct('pool'), (c, n) => fpmTest(dir, c, n)],
    ];
    for (const [kind, contents, test] of checks) {
      expect(contents.length, kind).toBeGreaterThan(0);
      for (const [n, c] of contents.entries()) {
        const r = await test(c, n);
        expect(r.ok, `${kind} test failed: ${r.output}\n${c}`).toBe(true);
      }
    }
    const benignOptions = new Map<string, string>();
    for (const [n, a] of benign.filter((x) => x.kind === 'mycnf').entries())
      benignOptions.set(a.name, (await optionNames(dir, a.content, n)).output);
    let k = 100;
    for (const o of rendered())
      for (const a of o.artifacts.filter(
        (x) => x.kind === 'mycnf' && !benign.some((b) => b.content === x.content),
      ))
        expect((await optionNames(dir, a.content, k++)).output, `${o.field} / ${o.payload}`).toBe(
          benignOptions.get(a.name),
        );
    // PHP files (conf.php and the PHP tools): each distinct render parses, with its benign token shape
    const php = [...benign, ...rendered().flatMap((o) => o.artifacts)].filter((x) => x.kind === 'php');
    const byContent = new Map(php.map((a) => [a.content, a.name]));
    const contents = [...byContent.keys()];
    const shapes = await phpShapes(dir, contents);
    expect(shapes.length).toBe(contents.length);
    const benignShape = new Map(
      benign.filter((x) => x.kind === 'php').map((a) => [a.name, shapes[contents.indexOf(a.content)]!]),
    );
    for (const [i, c] of contents.entries()) {
      expect(shapes[i]!.ok, `${byContent.get(c)}: ${shapes[i]!.output}`).toBe(true);
      expect(shapes[i], byContent.get(c)).toEqual(benignShape.get(byContent.get(c)!));
    }
  });
});
