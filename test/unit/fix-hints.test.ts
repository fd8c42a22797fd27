import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { commandModules } from '../../src/cli/commands/index.js';

/**
 * Issue 25 "Smaller": every fix hint in the code names a real command. The test collects each
 * `mokodeploy <word> [<word>]` written inside a string literal under src/ (fix hints, messages, pages) and
 * runs it through the CLI's command registry: the first word must be a registered command and, when that
 * command has subcommands, the second word must be one of them (a command without subcommands is followed
 * by an id or a placeholder, never a lowercase word: `mokodeploy rollback analyse` was one; a command with both its
 * own arguments and subcommands, such as `backup <id>` beside `backup list`, may be followed by an id).
 */
const root = join(import.meta.dirname, '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The text of the string literals of a file ('…', "…", `…`), comments left out. */
function stringLiterals(code: string): string[] {
  const out: string[] = [];
  const re = /\/\/[^\n]*|\/\*[\s\S]*?\*\/|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`/g;
  for (const m of code.matchAll(re)) if (!m[0].startsWith('/')) out.push(m[0].slice(1, -1));
  return out;
}

/** Strings that name the program in prose, not as a command to run (log lines, descriptions). */
const prose = [
  /^mokodeploy dashboard on /, // serve's start-up line
  /^mokodeploy executable/, // --bin option help
  /^mokodeploy process /, // store conflict message
  /^mokodeploy hypercare check-in for /, // systemd unit Description
  /^mokodeploy verify through Dolibarr/, // body of the test mail
  /^mokodeploy verification \$\{/, // test mail subject, test upload content
  /^mokodeploy audit anchor\\n/, // the signed anchor's payload label
  /^mokodeploy isolation '/, // the entity isolation check's marker record names
  /^mokodeploy through Dolibarr/, // body of the integration test mail
  /^mokodeploy integration check \$\{/, // subject of the integration test mail
  /^mokodeploy off-server backup copies$/, // the key derivation's label (HKDF info)
  /^mokodeploy deploy of the plan\)/, // "(mokodeploy deploy of the plan)": the command, then prose
  /^mokodeploy rollback without --before-writes/, // the command, named by the flag it goes without
];

interface Mention {
  where: string;
  words: string[];
  text: string;
}

function mentions(): Mention[] {
  const found: Mention[] = [];
  for (const file of sourceFiles(root)) {
    for (const literal of stringLiterals(readFileSync(file, 'utf8'))) {
      for (const m of literal.matchAll(/\bmokodeploy ([a-z][a-z0-9-]*)(?: ([a-z][a-z0-9-]*))?/g)) {
        const text = literal.slice(m.index);
        if (prose.some((p) => p.test(text))) continue;
        found.push({ where: relative(root, file), words: [m[1]!, m[2] ?? ''], text: m[0] });
      }
    }
  }
  return found;
}

async function registry(): Promise<Command> {
  const program = new Command();
  for (const entry of commandModules)
    (await entry.load()).register(program, () => {
      throw new Error('the app is not created while registering');
    });
  return program;
}

describe('fix hints name real commands', () => {
  it('finds the hints (the collector works)', () => {
    const all = mentions();
    expect(all.length).toBeGreaterThan(50);
    expect(all.some((m) => m.text === 'mokodeploy handoff-deliver')).toBe(true);
  });

  it('every `mokodeploy <command> [<subcommand>]` in src is registered by the CLI', async () => {
    const program = await registry();
    const wrong: string[] = [];
    for (const m of mentions()) {
      const [first, second] = m.words;
      const command = program.commands.find((c) => c.name() === first || c.aliases().includes(first!));
      if (!command) {
        wrong.push(`${m.where}: "${m.text}": no command "${first}"`);
        continue;
      }
      const subs = command.commands.map((c) => c.name());
      // a command with its own arguments besides subcommands (`backup <id>` and `backup list`) takes an id too
      const ownArgs = command.registeredArguments.length > 0;
      if (subs.length > 0 && !subs.includes(second!) && !(ownArgs && !second))
        wrong.push(`${m.where}: "${m.text}": "${first}" has no subcommand "${second}" (${subs.join(', ')})`);
      // a command without subcommands takes ids (interpolated) or placeholders (ID, FILE), not a word
      if (subs.length === 0 && second)
        wrong.push(`${m.where}: "${m.text}": "${first}" has no subcommands, "${second}" is not one`);
    }
    expect(wrong).toEqual([]);
  }, 60_000);
});
