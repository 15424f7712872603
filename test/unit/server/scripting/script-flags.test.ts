import { describe, expect, it } from 'vitest';
import { Flag } from '../../../../src/commands/flags.js';
import { parseEvalShebang, parseLibraryHeader, scriptCommandFlags, ScriptFlag, splitArgs } from '../../../../src/server/scripting/script-flags.js';

describe('splitArgs (sdssplitargs)', () => {
  it('splits on blanks and honours both quote styles and escapes', () => {
    expect(splitArgs('  #!lua   name=x ')).toEqual(['#!lua', 'name=x']);
    expect(splitArgs('#!lua name="a b"')).toEqual(['#!lua', 'name=a b']);
    expect(splitArgs('"\\x41\\n" \'it\\\'s\'')).toEqual(['A\n', "it's"]);
    expect(splitArgs('')).toEqual([]);
  });

  it('refuses unbalanced quotes and a closing quote glued to a word', () => {
    expect(splitArgs('#!lua name="x')).toBeNull();
    expect(splitArgs('"a"b')).toBeNull();
  });
});

describe('EVAL shebangs', () => {
  it('no shebang is compatibility mode', () => {
    expect(parseEvalShebang('return 1')).toEqual({ flags: ScriptFlag.EVAL_COMPAT, length: 0 });
  });

  it('reads flags and keeps the line feed for line numbers', () => {
    expect(parseEvalShebang('#!lua flags=no-writes,allow-oom\nreturn 1')).toEqual({ flags: ScriptFlag.NO_WRITES | ScriptFlag.ALLOW_OOM, length: 31 });
    expect(parseEvalShebang('#!lua flags=\nreturn 1')).toEqual({ flags: 0, length: 12 });
  });

  it("answers Redis's errors", () => {
    expect(parseEvalShebang('#!lua')).toBe('ERR Invalid script shebang');
    expect(parseEvalShebang('#!not-lua\nreturn 1')).toBe('ERR Unexpected engine in script shebang: #!not-lua');
    expect(parseEvalShebang('#!lua badger=data\n')).toBe('ERR Unknown lua shebang option: badger=data');
    expect(parseEvalShebang('#!lua flags=allow-oom,what?\n')).toBe('ERR Unexpected flag in script shebang: what?');
  });

  it('turns script flags into the command flags the guards use', () => {
    const evalFlags = Flag.NOSCRIPT | Flag.STALE | Flag.MAY_REPLICATE;
    expect(scriptCommandFlags(evalFlags, 0) & (Flag.WRITE | Flag.DENYOOM | Flag.STALE)).toBe(Flag.WRITE | Flag.DENYOOM);
    expect(scriptCommandFlags(evalFlags, ScriptFlag.NO_WRITES) & (Flag.WRITE | Flag.DENYOOM)).toBe(0);
    expect(scriptCommandFlags(evalFlags, ScriptFlag.ALLOW_STALE | ScriptFlag.ALLOW_OOM) & (Flag.STALE | Flag.DENYOOM)).toBe(Flag.STALE);
  });
});

describe('library headers', () => {
  it('reads engine and name (case-insensitive key) and keeps the code from the line feed', () => {
    expect(parseLibraryHeader('#!lua NAME=mylib\nredis.register_function()')).toEqual({ engine: 'lua', name: 'mylib', code: '\nredis.register_function()' });
  });

  it("answers Redis's metadata errors", () => {
    expect(parseLibraryHeader('return 1')).toBe('ERR Missing library metadata');
    expect(parseLibraryHeader('#!lua name=x')).toBe('ERR Invalid library metadata');
    expect(parseLibraryHeader('#!lua\n')).toBe('ERR Library name was not given');
    expect(parseLibraryHeader('#!lua name=a name=b\n')).toBe('ERR Invalid metadata value, name argument was given multiple times');
    expect(parseLibraryHeader('#!lua desc=x name=a\n')).toBe('ERR Invalid metadata value given: desc=x');
  });
});
