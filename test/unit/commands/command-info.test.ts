import { describe, expect, it } from 'vitest';
import { specFromCommandInfo } from '../../../src/commands/command-info.js';
import { keyPositions } from '../../../src/commands/key-positions.js';
import { Flag } from '../../../src/commands/flags.js';

/** A RESP2-shaped key spec (maps as flat arrays), as COMMAND INFO sends it. */
function keySpec(flags: string[], begin: unknown[], find: unknown[]): unknown[] {
  return ['flags', flags, 'begin_search', begin, 'find_keys', find];
}
const index = (i: number): unknown[] => ['type', 'index', 'spec', ['index', i]];
const keyword = (k: string, from: number): unknown[] => ['type', 'keyword', 'spec', ['keyword', k, 'startfrom', from]];
const range = (last: number, step = 1, limit = 0): unknown[] => ['type', 'range', 'spec', ['lastkey', last, 'keystep', step, 'limit', limit]];
const keynum = (idx: number, first: number, step = 1): unknown[] => ['type', 'keynum', 'spec', ['keynumidx', idx, 'firstkey', first, 'keystep', step]];
const unknown = (): unknown[] => ['type', 'unknown', 'spec', []];

function keys(entry: unknown[], ...argv: string[]): string[] | null {
  const spec = specFromCommandInfo(entry)!;
  const pos = keyPositions(spec, argv);
  return pos === null ? null : pos.map((i) => argv[i]!);
}

describe('specFromCommandInfo', () => {
  it('reads name, arity, flags, tips and ACL categories; ignores flags it has no bit for', () => {
    const s = specFromCommandInfo(['MOD.GET', 2, ['readonly', 'fast', 'module'], 1, 1, 1, ['@read'], ['nondeterministic_output'], [keySpec(['RO'], index(1), range(0))], []])!;
    expect(s.name).toBe('mod.get');
    expect(s.arity).toBe(2);
    expect(s.flags).toBe(Flag.READONLY | Flag.FAST);
    expect(s.flagNames).toEqual(['readonly', 'fast']);
    expect(s.tips).toEqual(['nondeterministic_output']);
    expect(s.acl).toEqual(['@read']);
    expect(s.keysFromServer).toBe(false);
    expect(s.cacheable).toBe(false);
    expect(s.subcommands).toBeNull();
  });

  it('nil (a command the server does not know) and malformed elements give null', () => {
    expect(specFromCommandInfo(null)).toBeNull();
    expect(specFromCommandInfo(['x', 1])).toBeNull();
  });

  it('index/range, keyword and keynum key specs find the keys Redis finds', () => {
    const mset = ['mset', -3, ['write'], 1, -1, 2, [], [], [keySpec(['OW'], index(1), range(-1, 2))], []];
    expect(keys(mset, 'mset', 'a', '1', 'b', '2')).toEqual(['a', 'b']);
    const georadius = ['georadius', -6, ['write', 'movablekeys'], 1, 1, 1, [], [], [keySpec(['RO'], index(1), range(0)), keySpec(['OW'], keyword('STORE', 6), range(0))], []];
    expect(keys(georadius, 'georadius', 'src', '1', '2', '3', 'km', 'STORE', 'dst')).toEqual(['src', 'dst']);
    const zunion = ['zunionstore', -4, ['write', 'movablekeys'], 1, 1, 1, [], [], [keySpec(['OW'], index(1), range(0)), keySpec(['RO'], index(2), keynum(0, 1))], []];
    expect(keys(zunion, 'zunionstore', 'd', '2', 'a', 'b', 'WEIGHTS', '1', '2')).toEqual(['d', 'a', 'b']);
    const xread = ['xread', -4, ['readonly', 'movablekeys'], 0, 0, 0, [], [], [keySpec(['RO'], keyword('STREAMS', 1), range(-1, 1, 2))], []];
    expect(keys(xread, 'xread', 'COUNT', '1', 'STREAMS', 's1', 's2', '0', '0')).toEqual(['s1', 's2']);
  });

  it('keys only the server can find: unknown search, INCOMPLETE, or movablekeys over fixed ranges', () => {
    const sort = specFromCommandInfo(['sort', -2, ['write', 'movablekeys'], 1, 1, 1, [], [], [keySpec(['RO'], index(1), range(0)), keySpec(['OW'], unknown(), unknown())], []])!;
    expect(sort.keysFromServer).toBe(true);
    expect(sort.keySpecs).toEqual([]);
    const incomplete = specFromCommandInfo(['m.x', -2, ['write'], 1, 1, 1, [], [], [keySpec(['RW', 'INCOMPLETE'], index(1), range(0))], []])!;
    expect(incomplete.keysFromServer).toBe(true);
    const getkeysApi = specFromCommandInfo(['m.y', -1, ['write', 'movablekeys'], 0, 0, 0, [], [], [], []])!;
    expect(getkeysApi.keysFromServer).toBe(true);
    const keyless = specFromCommandInfo(['m.z', 1, ['readonly'], 0, 0, 0, [], [], [], []])!;
    expect(keyless.keysFromServer).toBe(false);
    expect(keyless.keySpecs).toEqual([]);
  });

  it('servers before Redis 7 (no key specs): keys from the legacy first/last/step', () => {
    expect(keys(['mget', -2, ['readonly'], 1, -1, 1], 'mget', 'a', 'b', 'c')).toEqual(['a', 'b', 'c']);
    expect(keys(['rename', 3, ['write'], 1, 2, 1, ['@write']], 'rename', 'a', 'b')).toEqual(['a', 'b']);
    expect(specFromCommandInfo(['eval', -3, ['noscript', 'movablekeys'], 0, 0, 0])!.keysFromServer).toBe(true);
  });

  it('subcommands become entries of their container, with their parent', () => {
    const xinfo = specFromCommandInfo(['xinfo', -2, [], 0, 0, 0, ['@slow'], [], [], [
      ['xinfo|stream', -3, ['readonly'], 2, 2, 1, ['@read'], [], [keySpec(['RO'], index(2), range(0))], []],
      ['xinfo|help', 2, ['loading', 'stale'], 0, 0, 0, [], [], [], []],
    ]])!;
    const stream = xinfo.subcommands!.get('stream')!;
    expect(stream.fullName).toBe('xinfo|stream');
    expect(stream.parent).toBe(xinfo);
    expect(keyPositions(stream, ['xinfo', 'stream', 's'])).toEqual([2]);
    expect(xinfo.subcommands!.get('help')!.keySpecs).toEqual([]);
  });

  it('reads RESP3 maps as well as flat arrays', () => {
    const spec = new Map<unknown, unknown>([
      ['flags', ['RW']],
      ['begin_search', new Map<unknown, unknown>([['type', 'index'], ['spec', new Map([['index', 1]])]])],
      ['find_keys', new Map<unknown, unknown>([['type', 'range'], ['spec', new Map([['lastkey', 0], ['keystep', 1], ['limit', 0]])]])],
    ]);
    expect(keys(['m.set', 3, ['write'], 1, 1, 1, [], [], [spec], []], 'm.set', 'k', 'v')).toEqual(['k']);
  });
});
