import { describe, expect, it } from 'vitest';
import { keyPositions } from '../../../src/commands/key-positions.js';
import { lookupCommand } from '../../../src/commands/registry.js';

function keys(...argv: string[]): string[] | null {
  const pos = keyPositions(lookupCommand(argv[0]!)!, argv);
  return pos === null ? null : pos.map((i) => argv[i]!);
}

/** Answers of Redis 7.0's COMMAND GETKEYS for the commands whose keys key specs cannot describe. */
describe('keyPositions: procedural key finders', () => {
  it('SORT: the sorted key and the last STORE, skipping LIMIT/GET/BY arguments', () => {
    expect(keys('sort', 'abc', 'store', 'def')).toEqual(['abc', 'def']);
    expect(keys('sort', 'abc', 'store', 'invalid', 'store', 'stillbad', 'store', 'def')).toEqual(['abc', 'def']);
    expect(keys('sort', 'abc', 'get', 'store', 'by', 'store')).toEqual(['abc']);
    expect(keys('sort', 'abc', 'limit', 'store', 'store', 'store')).toEqual(['abc']);
    expect(keys('sort_ro', 'abc', 'store', 'x')).toEqual(['abc']);
  });

  it('MIGRATE: the key argument, or everything after KEYS when the key is empty', () => {
    expect(keys('migrate', 'h', '1', 'k', '0', '10')).toEqual(['k']);
    expect(keys('migrate', 'h', '1', '', '0', '10', 'auth', 'keys', 'copy', 'keys', 'a', 'b')).toEqual(['a', 'b']);
    expect(keys('migrate', 'h', '1', 'k', '0', '10', 'keys', 'a')).toEqual([]);
  });

  it('GEORADIUS: the source and a STORE destination', () => {
    expect(keys('georadius', 'src', '1', '2', '3', 'km', 'store', 'dst')).toEqual(['src', 'dst']);
  });
});
