import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { commandModules, commandWord, modulesFor } from '../../src/cli/commands/index.js';

describe('lazy command registry', () => {
  it('each entry lists exactly the commands its module registers', async () => {
    for (const entry of commandModules) {
      const program = new Command();
      (await entry.load()).register(program, () => {
        throw new Error('the app is not created while registering');
      });
      expect(program.commands.map((c) => c.name()).sort()).toEqual([...entry.commands].sort());
    }
  });

  it('no command name is owned twice', () => {
    const names = commandModules.flatMap((m) => m.commands);
    expect(new Set(names).size).toBe(names.length);
  });

  it('finds the command word past global options', () => {
    expect(commandWord(['--json', '--home', '/tmp/x', 'show', 'acme'])).toBe('show');
    expect(commandWord(['--store', 'postgres://moko@db.example/moko', 'audit', 'verify'])).toBe('audit');
    expect(commandWord(['--help'])).toBeUndefined();
  });

  it('loads only the owning module for a known command, every module otherwise', async () => {
    expect(await modulesFor(['policy', 'show'])).toHaveLength(1);
    expect(await modulesFor(['no-such-command'])).toHaveLength(commandModules.length);
  });
});
