import { describe, expect, it } from 'vitest';
import { COMMANDS, lookupCommand, lookupSubcommand } from '../../../src/commands/registry.js';
import { connectionState } from '../../../src/commands/state-commands.js';
import type { CommandSpec } from '../../../src/commands/spec.js';

function spec(name: string, sub?: string): CommandSpec {
  const top = lookupCommand(name)!;
  return sub === undefined ? top : lookupSubcommand(top, sub)!;
}

describe('state-command marks', () => {
  it('marks exactly the commands that change their connection state', () => {
    const marked: string[] = [];
    for (const s of COMMANDS) {
      if (connectionState(s, undefined) !== null) marked.push(s.fullName);
      for (const sub of s.subcommands?.values() ?? []) if (connectionState(sub, undefined) !== null) marked.push(sub.fullName);
    }
    expect([...new Set(marked)].sort()).toEqual(
      ['auth', 'client|caching', 'client|reply', 'client|tracking', 'discard', 'exec', 'hello', 'monitor', 'multi', 'psubscribe', 'punsubscribe', 'quit', 'reset', 'select', 'ssubscribe', 'subscribe', 'sunsubscribe', 'unsubscribe', 'unwatch', 'watch'].sort(),
    );
    expect(connectionState(spec('get'), 'k')).toBeNull();
    expect(connectionState(spec('client', 'list'), undefined)).toBeNull();
  });

  it('knows state commands the table lacks: a newer subcommand (the parent answers) and a learned entry', () => {
    expect(connectionState(spec('client'), 'NO-TOUCH')).toBe('touch');
    expect(connectionState(spec('client'), Buffer.from('no-touch'))).toBe('touch');
    expect(connectionState(spec('client'), 'whatever')).toBeNull();
    // An entry built from COMMAND INFO carries no mark: the full name decides.
    const learned: CommandSpec = { ...spec('client', 'list'), name: 'no-touch', fullName: 'client|no-touch', state: undefined };
    expect(connectionState(learned, undefined)).toBe('touch');
    const module: CommandSpec = { ...spec('get'), name: 'mod.get', fullName: 'mod.get', state: undefined };
    expect(connectionState(module, 'k')).toBeNull();
  });
});
