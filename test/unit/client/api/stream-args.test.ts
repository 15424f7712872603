/**
 * The stream methods' argument builders and the blocking decision for XREAD/XREADGROUP: what goes
 * on the wire, and what is refused before anything is sent.
 */
import { describe, expect, it } from 'vitest';
import { trimArgs, xaddArgs, xclaimArgs, xreadArgs } from '../../../../src/client/api/args/streams.js';
import { blockingTimeout } from '../../../../src/client/routing/blocking-lease.js';
import { lookupCommand } from '../../../../src/commands/registry.js';
import { InvalidArgumentError } from '../../../../src/errors.js';

describe('stream argument builders', () => {
  it('XADD: options before the ID, fields from an object or pairs', () => {
    expect(xaddArgs('s', '*', { a: 1, b: 'x' })).toEqual(['XADD', 's', '*', 'a', 1, 'b', 'x']);
    expect(xaddArgs('s', '5-*', [['f', 'v'], ['f', 'w']], { nomkstream: true, trim: { strategy: 'MAXLEN', threshold: 100, approximate: true, limit: 50 } })).toEqual([
      'XADD', 's', 'NOMKSTREAM', 'MAXLEN', '~', 100, 'LIMIT', 50, '5-*', 'f', 'v', 'f', 'w',
    ]);
    expect(() => xaddArgs('s', '*', {})).toThrow(InvalidArgumentError);
  });

  it('trims: exact by default, LIMIT only with approximate', () => {
    expect(trimArgs({ strategy: 'MINID', threshold: '10-0' })).toEqual(['MINID', '=', '10-0']);
    expect(() => trimArgs({ strategy: 'MAXLEN', threshold: 5, limit: 1 })).toThrow(InvalidArgumentError);
    expect(() => trimArgs({ strategy: 'MAXLEN', threshold: 5, approximate: true, limit: -1 })).toThrow(InvalidArgumentError);
  });

  it('XREAD/XREADGROUP: options, then STREAMS keys then IDs in order', () => {
    expect(xreadArgs(null, { a: '0', b: '$' }, { count: 10, block: 0 })).toEqual(['XREAD', 'COUNT', 10, 'BLOCK', 0, 'STREAMS', 'a', 'b', '0', '$']);
    expect(xreadArgs(['g', 'c'], [['k', '>']], { noack: true })).toEqual(['XREADGROUP', 'GROUP', 'g', 'c', 'NOACK', 'STREAMS', 'k', '>']);
    expect(() => xreadArgs(null, {})).toThrow(InvalidArgumentError);
    expect(() => xreadArgs(null, { a: '0' }, { block: -1 })).toThrow(InvalidArgumentError);
  });

  it('XCLAIM: IDs, then options', () => {
    expect(xclaimArgs('s', 'g', 'c', 1000, ['1-0', '2-0'], { idle: 5, retryCount: 2, force: true, lastId: '3-0' }, true)).toEqual([
      'XCLAIM', 's', 'g', 'c', 1000, '1-0', '2-0', 'IDLE', 5, 'RETRYCOUNT', 2, 'FORCE', 'JUSTID', 'LASTID', '3-0',
    ]);
    expect(() => xclaimArgs('s', 'g', 'c', 0, [], {}, false)).toThrow(InvalidArgumentError);
  });

  it('XREAD blocks only with BLOCK (ms, before STREAMS); the pops keep their timeout in seconds', () => {
    const xread = lookupCommand('xread')!;
    const xreadgroup = lookupCommand('xreadgroup')!;
    expect(blockingTimeout(xread, ['XREAD', 'STREAMS', 'block', '0'])).toBeNull();
    expect(blockingTimeout(xread, ['XREAD', 'COUNT', 1, 'BLOCK', 1500, 'STREAMS', 'k', '$'])).toBe(1.5);
    expect(blockingTimeout(xreadgroup, ['XREADGROUP', 'GROUP', 'g', 'c', 'block', '0', 'STREAMS', 'k', '>'])).toBe(0);
    expect(() => blockingTimeout(xread, ['XREAD', 'BLOCK', 'soon', 'STREAMS', 'k', '$'])).toThrow(InvalidArgumentError);
    expect(blockingTimeout(lookupCommand('blpop')!, ['BLPOP', 'k', '2.5'])).toBe(2.5);
    expect(blockingTimeout(lookupCommand('bzmpop')!, ['BZMPOP', '1', '1', 'k', 'MIN'])).toBe(1);
  });
});
