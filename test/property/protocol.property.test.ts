/**
 * Properties of the protocol layer:
 * - reply parser: encode → parse round trip for every RESP3 type; any split of the byte stream
 *   yields the same frames; random garbage never throws or hangs; with `resp2Shape`, a RESP3 reply
 *   parses to exactly what its RESP2 form parses to;
 * - request parser: encoded commands round-trip; any split yields the same commands; garbage
 *   yields commands and/or a protocol error, never a throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReplyError } from '../../src/errors.js';
import { encodeCommand } from '../../src/protocol/command-encoder.js';
import { ReplyParser } from '../../src/protocol/reply-parser.js';
import { RequestParser } from '../../src/protocol/request-parser.js';
import type { RespValue } from '../../src/protocol/resp-types.js';

/**
 * A RESP3 test value with its wire form, the value the parser must produce (buffer mode), and the
 * same reply as RESP2 sends it (`wire2`).
 */
interface Sample {
  wire: string;
  expected: unknown;
  wire2: string;
}

const bulk2 = (t: string): string => `$${Buffer.byteLength(t, 'latin1')}\r\n${t}\r\n`;

const line = fc.string({ maxLength: 12 }).map((s) => s.replace(/[\r\n]/g, ''));
const bytes = fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a));

const scalar: fc.Arbitrary<Sample> = fc.oneof(
  line.map((s) => ({ wire: `+${s}\r\n`, expected: s, wire2: `+${s}\r\n` })),
  line.map((s) => ({ wire: `-ERR ${s}\r\n`, expected: { error: `ERR ${s}` }, wire2: `-ERR ${s}\r\n` })),
  fc.integer().map((n) => ({ wire: `:${n}\r\n`, expected: n, wire2: `:${n}\r\n` })),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((n) => ({ wire: `(${n}\r\n`, expected: n, wire2: bulk2(String(n)) })),
  fc.double({ noNaN: true }).map((d) => {
    const t = d === Infinity ? 'inf' : d === -Infinity ? '-inf' : String(d);
    return { wire: `,${t}\r\n`, expected: Object.is(d, -0) ? 0 : d, wire2: bulk2(t) };
  }),
  fc.boolean().map((b) => ({ wire: `#${b ? 't' : 'f'}\r\n`, expected: b, wire2: `:${b ? 1 : 0}\r\n` })),
  fc.constantFrom(
    { wire: '_\r\n', expected: null, wire2: '$-1\r\n' },
    { wire: '$-1\r\n', expected: null, wire2: '$-1\r\n' },
    { wire: '*-1\r\n', expected: null, wire2: '*-1\r\n' },
  ),
  bytes.map((b) => ({ wire: `$${b.length}\r\n${b.toString('latin1')}\r\n`, expected: b, wire2: bulk2(b.toString('latin1')) })),
  bytes.map((b) => ({ wire: `=${b.length + 4}\r\ntxt:${b.toString('latin1')}\r\n`, expected: b, wire2: bulk2(b.toString('latin1')) })),
);

const sample: fc.Arbitrary<Sample> = fc.letrec<{ v: Sample }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('v'), { maxLength: 4 }).map((items) => ({
      wire: `*${items.length}\r\n${items.map((i) => i.wire).join('')}`,
      expected: items.map((i) => i.expected),
      wire2: `*${items.length}\r\n${items.map((i) => i.wire2).join('')}`,
    })),
    fc.array(tie('v'), { maxLength: 4 }).map((items) => ({
      wire: `~${items.length}\r\n${items.map((i) => i.wire).join('')}`,
      expected: items.map((i) => i.expected),
      wire2: `*${items.length}\r\n${items.map((i) => i.wire2).join('')}`,
    })),
    // Map keys are distinct simple strings (a JS Map folds duplicate keys).
    fc.array(tie('v'), { maxLength: 3 }).map((vals) => ({
      wire: `%${vals.length}\r\n${vals.map((v, i) => `+k${i}\r\n${v.wire}`).join('')}`,
      expected: { map: vals.map((v, i) => [`k${i}`, v.expected]) },
      wire2: `*${vals.length * 2}\r\n${vals.map((v, i) => `+k${i}\r\n${v.wire2}`).join('')}`,
    })),
    fc.tuple(scalar, tie('v')).map(([a, v]) => ({ wire: `|1\r\n+key\r\n${a.wire}${v.wire}`, expected: v.expected, wire2: v.wire2 })),
  ),
})).v;

/** Turns parsed values into the comparable shape of Sample.expected. */
function plain(v: RespValue): unknown {
  if (v instanceof ReplyError) return { error: v.message };
  if (v instanceof Map) return { map: [...v].map(([k, x]) => [plain(k), plain(x)]) };
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

function parseAll(wire: Buffer, cuts: number[], resp2Shape = false): { replies: unknown[]; pushes: unknown[]; errors: number } {
  const replies: unknown[] = [];
  const pushes: unknown[] = [];
  let errors = 0;
  const p = new ReplyParser(
    {
      onReply: (v) => replies.push(plain(v)),
      onPush: (v) => pushes.push(plain(v)),
      onError: () => errors++,
    },
    { resp2Shape },
  );
  p.returnBuffers = true;
  let last = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    p.feed(wire.subarray(last, c));
    last = c;
  }
  p.feed(wire.subarray(last));
  return { replies, pushes, errors };
}

describe('ReplyParser properties', () => {
  it('round-trips every RESP3 type, whatever the chunking', () => {
    fc.assert(
      fc.property(fc.array(sample, { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 8 }), (samples, rawCuts) => {
        const wire = Buffer.from(samples.map((s) => s.wire).join(''), 'latin1');
        const cuts = rawCuts.map((c) => c % (wire.length + 1));
        const r = parseAll(wire, cuts);
        expect(r.errors).toBe(0);
        expect(r.replies).toEqual(samples.map((s) => s.expected));
      }),
      { numRuns: 300 },
    );
  });

  it('resp2Shape: a RESP3 reply parses to what its RESP2 form parses to, whatever the chunking', () => {
    fc.assert(
      fc.property(fc.array(sample, { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 8 }), (samples, rawCuts) => {
        const wire = Buffer.from(samples.map((s) => s.wire).join(''), 'latin1');
        const r3 = parseAll(wire, rawCuts.map((c) => c % (wire.length + 1)), true);
        const r2 = parseAll(Buffer.from(samples.map((s) => s.wire2).join(''), 'latin1'), []);
        expect(r3.errors).toBe(0);
        expect(r3.replies).toEqual(r2.replies);
      }),
      { numRuns: 300 },
    );
  });

  it('delivers push frames out of band, between replies', () => {
    const wire = Buffer.from('+OK\r\n>2\r\n$10\r\ninvalidate\r\n*1\r\n$2\r\nk1\r\n:5\r\n', 'latin1');
    for (let cut = 0; cut <= wire.length; cut++) {
      const r = parseAll(wire, [cut]);
      expect(r.replies).toEqual([Buffer.from('OK') && 'OK', 5]);
      expect(r.pushes).toEqual([[Buffer.from('invalidate'), [Buffer.from('k1')]]]);
    }
  });

  it('never throws on garbage and reports at most one protocol error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.array(fc.nat(), { maxLength: 5 }), (garbage, rawCuts) => {
        const wire = Buffer.from(garbage);
        const r = parseAll(wire, rawCuts.map((c) => c % (wire.length + 1)));
        expect(r.errors).toBeLessThanOrEqual(1);
      }),
      { numRuns: 500 },
    );
  });
});

const arg = fc.oneof(fc.string({ maxLength: 20 }), fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a).toString('latin1')));
const command = fc.array(arg, { minLength: 1, maxLength: 6 });

function parseRequests(wire: Buffer, cuts: number[]): { commands: string[][]; error: string | null } {
  const p = new RequestParser();
  const commands: string[][] = [];
  let last = 0;
  for (const c of [...cuts, wire.length].sort((a, b) => a - b)) {
    p.feed(wire.subarray(last, c));
    last = c;
    for (let argv = p.next(); argv !== null; argv = p.next()) commands.push(argv);
  }
  return { commands, error: p.error };
}

describe('RequestParser properties', () => {
  it('parses encoded commands back exactly, whatever the chunking', () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 8 }), (cmds, rawCuts) => {
        const wire = Buffer.concat(cmds.map((c) => encodeCommand(c.map((a) => Buffer.from(a, 'latin1')))));
        const r = parseRequests(wire, rawCuts.map((c) => c % (wire.length + 1)));
        expect(r.error).toBeNull();
        expect(r.commands).toEqual(cmds);
      }),
      { numRuns: 300 },
    );
  });

  it('splits inline commands like Redis', () => {
    const r = parseRequests(Buffer.from('SET k "a b\\x41" \'c\\\'d\'\r\nPING\n\r\n', 'latin1'), []);
    expect(r.commands).toEqual([['SET', 'k', 'a bA', "c'd"], ['PING']]);
    expect(parseRequests(Buffer.from('SET "k\r\n'), []).error).toBe('Protocol error: unbalanced quotes in request');
  });

  it('never throws on garbage: commands and/or one protocol error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(), { maxLength: 5 }), (garbage, rawCuts) => {
        const wire = Buffer.from(garbage);
        const r = parseRequests(wire, rawCuts.map((c) => c % (wire.length + 1)));
        if (r.error !== null) expect(r.error).toMatch(/^Protocol error: /);
      }),
      { numRuns: 500 },
    );
  });

  it('rejects oversized headers instead of buffering without bound', () => {
    const p = new RequestParser();
    p.feed(Buffer.alloc(70 * 1024, 0x61));
    expect(p.next()).toBeNull();
    expect(p.error).toBe('Protocol error: too big inline request');
    const q = new RequestParser();
    q.feed(Buffer.from('*1\r\n$600000000\r\n'));
    expect(q.next()).toBeNull();
    expect(q.error).toBe('Protocol error: invalid bulk length');
  });
});
