/**
 * resp2Nesting (protocol/reply-nesting.ts): for the commands RESP3 nests differently, the RESP3
 * form of any reply re-nests to exactly its RESP2 form, and a RESP2 reply is left as it is.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resp2Nesting } from '../../src/protocol/reply-nesting.js';
import type { RespValue } from '../../src/protocol/resp-types.js';

const text = fc.string({ maxLength: 6 });
const FLATTEN = ['ZRANGE', 'zrangebyscore', 'ZREVRANGE', 'ZUNION', 'ZINTER', 'ZDIFF', 'ZRANDMEMBER', 'ZPOPMIN', 'zpopmax', 'HRANDFIELD'];
const PAIR = ['XREAD', 'xreadgroup'];
/** Stream entries as both protocols send them: [[id, [field, value, …]], …]. */
const entries = fc.array(fc.tuple(text, fc.array(text, { maxLength: 4 })).map(([id, f]): RespValue => [id, f]), { maxLength: 3 });

describe('resp2Nesting', () => {
  it('[member, score] pairs (RESP3) flatten to RESP2; a RESP2 flat reply is unchanged', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FLATTEN), fc.array(fc.tuple(text, text), { minLength: 1, maxLength: 8 }), (name, pairs) => {
        const resp2: RespValue[] = pairs.flat();
        const resp3: RespValue[] = pairs.map(([m, s]) => [m, s]);
        expect(resp2Nesting([name, 'k'], resp3)).toEqual(resp2);
        expect(resp2Nesting([name, 'k'], resp2)).toBe(resp2);
      }),
    );
  });

  it('a flattened XREAD map (RESP3) pairs up to RESP2; a RESP2 reply is unchanged', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PAIR), fc.array(fc.tuple(text, entries), { minLength: 1, maxLength: 4 }), (name, streams) => {
        const resp2: RespValue[] = streams.map(([k, e]) => [k, e]);
        const resp3: RespValue[] = streams.flat();
        expect(resp2Nesting([name, 'STREAMS'], resp3)).toEqual(resp2);
        expect(resp2Nesting([name, 'STREAMS'], resp2)).toBe(resp2);
      }),
    );
  });

  it('is idempotent on any reply of any command', () => {
    const tree = fc.letrec<{ v: RespValue }>((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.constant(null), fc.array(tie('v'), { maxLength: 4 })),
    })).v;
    fc.assert(
      fc.property(fc.constantFrom(...FLATTEN, ...PAIR, 'GET', 'HGETALL', 'XRANGE'), tree, (name, reply) => {
        const once = resp2Nesting([name], reply);
        expect(resp2Nesting([name], once)).toEqual(once);
      }),
    );
  });
});
