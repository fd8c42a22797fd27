import { appendFileSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MokoError } from '../../src/core/errors.js';
import {
  Journal,
  journalPath,
  readJournal,
  resumeState,
  type JournalRecord,
} from '../../src/runner/index.js';

const base = mkdtempSync(join(tmpdir(), 'moko-journal-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const at = '2026-11-27T10:00:00.000Z';
const started = (planHash: string, facts = {}): JournalRecord => ({
  type: 'run-started',
  at,
  runId: 'r',
  deploymentId: 'd',
  planHash,
  pid: 1,
  facts,
});
const done = (step: string, outputs = {}): JournalRecord => ({
  type: 'step-done',
  at,
  runId: 'r',
  step,
  durationMs: 1,
  outputs,
});
const finished: JournalRecord = { type: 'run-finished', at, runId: 'r', durationMs: 5 };

describe('resumeState', () => {
  it('an empty journal is a fresh run', () => {
    expect(resumeState([], 'h', 'j')).toEqual({ resumed: false, done: new Map() });
  });

  it('an unfinished chain gives its done steps, their outputs and the first run facts', () => {
    const s = resumeState(
      [started('h', { stamp: 'A' }), done('a', { x: 1 }), started('h', { stamp: 'B' }), done('b')],
      'h',
      'j',
    );
    expect(s.resumed).toBe(true);
    expect([...s.done.keys()]).toEqual(['a', 'b']);
    expect(s.done.get('a')).toEqual({ x: 1 });
    expect(s.facts).toEqual({ stamp: 'A' });
  });

  it('a finished run does not make the next run skip anything, whatever its plan hash', () => {
    expect(resumeState([started('h'), done('a'), finished], 'other', 'j')).toEqual({
      resumed: false,
      done: new Map(),
    });
  });

  it('a finished run lends its facts to no later run (issue 13: facts are per run)', () => {
    const runs = [started('h', { stamp: 'A' }), finished, started('h', { stamp: 'B' }), finished];
    expect(resumeState(runs, 'h', 'j')).toEqual({ resumed: false, done: new Map() });
    const closed: JournalRecord = { type: 'run-closed', at, runId: 'r', outcome: 'rolled-back' };
    expect(resumeState([started('h', { stamp: 'A' }), done('a'), closed], 'h', 'j')).toEqual({
      resumed: false,
      done: new Map(),
    });
  });

  it('an unfinished chain of another plan hash is a conflict saying how to start over', () => {
    let error: unknown;
    try {
      resumeState([started('aaaaaaaaaaaaaaaa'), done('a')], 'bbbbbbbbbbbbbbbb', '/s/journals/d.jsonl');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MokoError);
    expect((error as MokoError).kind).toBe('conflict');
    expect((error as MokoError).describe()).toContain('mv /s/journals/d.jsonl /s/journals/d.jsonl.old');
  });
});

describe('Journal file', () => {
  it('appends one JSON line per record under <store>/journals/<deployment>.jsonl', () => {
    const j = Journal.open({ storeDir: base, deploymentId: 'dep1', planHash: 'h' });
    j.append(started('h'));
    j.append(done('a'));
    j.close();
    expect(j.path).toBe(join(base, 'journals', 'dep1.jsonl'));
    expect(readFileSync(j.path, 'utf8').trim().split('\n')).toHaveLength(2);
    expect(Journal.open({ storeDir: base, deploymentId: 'dep1', planHash: 'h' }).resume.done.has('a')).toBe(
      true,
    );
  });

  it('ignores a torn last line (killed mid-write) and cuts it off before appending', () => {
    const path = journalPath(base, 'dep2');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${JSON.stringify(started('h'))}\n${JSON.stringify(done('a'))}\n{"type":"step-do`);
    const j = Journal.open({ storeDir: base, deploymentId: 'dep2', planHash: 'h' });
    expect([...j.resume.done.keys()]).toEqual(['a']);
    j.append(done('b'));
    j.close();
    expect(readJournal(path).map((r) => r.type === 'step-done' && r.step)).toEqual([false, 'a', 'b']);
    expect(readFileSync(path, 'utf8')).not.toContain('step-do"');
  });

  it('a torn line in the middle is corruption, reported with its line number', () => {
    const path = journalPath(base, 'dep3');
    writeFileSync(path, `${JSON.stringify(started('h'))}\n{oops\n`);
    appendFileSync(path, `${JSON.stringify(done('a'))}\n`);
    expect(() => readJournal(path)).toThrow(/corrupt at line 2/);
  });

  it('discard moves the journal aside so the next run starts over', () => {
    const j = Journal.open({ storeDir: base, deploymentId: 'dep4', planHash: 'h' });
    j.append(started('h'));
    j.close();
    const aside = Journal.discard(base, 'dep4');
    expect(aside).toMatch(/dep4\.jsonl\.2\d{3}-/);
    expect(Journal.open({ storeDir: base, deploymentId: 'dep4', planHash: 'other' }).resume.resumed).toBe(
      false,
    );
  });
});

describe('facts and outputs in the journal', () => {
  it('values holding a Secret are left out; on resume they come from the fresh facts', async () => {
    const { Secret } = await import('../../src/core/secret.js');
    const { withoutSecrets, resumedFacts } = await import('../../src/runner/facts.js');
    const pw = new Secret('journal-secret-77');
    const facts = { stamp: '20261127100000', existingConf: { db: { password: pw } }, list: [1, 2] };
    const kept = withoutSecrets(facts);
    expect(kept).toEqual({ stamp: '20261127100000', list: [1, 2] });
    const fresh = { stamp: '20261127110000', existingConf: { db: { password: pw } } };
    expect(resumedFacts(fresh, kept)).toEqual({
      stamp: '20261127100000',
      existingConf: { db: { password: pw } },
      list: [1, 2],
    });
  });
});
