/** The command encoder's byte-level fast paths (headers, short ASCII, fallback to UTF-8) against a naive reference. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommandEncoder, encodeCommand } from '../../../src/protocol/command-encoder.js';

type A = string | Buffer | number | bigint;

function reference(args: readonly A[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = Buffer.isBuffer(a) ? a : Buffer.from(String(a), 'utf8');
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

const arg = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.string({ minLength: 60, maxLength: 300 }),
  fc.uint8Array({ maxLength: 200 }).map((u) => Buffer.from(u)),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }),
);

/** Values the encoder must refuse. */
const bad = fc.constantFrom<unknown>(undefined, null, NaN, Infinity, -Infinity, {}, [], ['x'], true, Symbol('s'), () => 1, new Date(0));

describe('CommandEncoder', () => {
  it('encodes like the naive reference, batch after batch', () => {
    const enc = new CommandEncoder();
    fc.assert(
      fc.property(fc.array(fc.array(arg, { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 20 }), (cmds) => {
        for (const c of cmds) enc.push(c);
        const got = Buffer.concat(enc.flush());
        expect(got.equals(Buffer.concat(cmds.map(reference)))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('handles boundary lengths, non-ASCII after ASCII, and pass-through Buffers', () => {
    const cases: A[][] = [
      ['a'.repeat(9), 'b'.repeat(10), 'c'.repeat(99), 'd'.repeat(100), 'e'.repeat(64), 'f'.repeat(65)],
      ['abc\u00e9', 'é', '\u{1F600}', 'x'.repeat(63) + 'é'],
      [Buffer.alloc(9000, 1), 'tail', Buffer.alloc(0), ''],
      Array.from({ length: 120 }, (_, i) => i),
    ];
    for (const c of cases) expect(encodeCommand(c).equals(reference(c))).toBe(true);
  });

  it('encodes a bigint of any length by its decimal digits', () => {
    const big = 7n ** 500n;
    expect(encodeCommand(['SET', 'k', big]).equals(reference(['SET', 'k', big]))).toBe(true);
  });

  it('is atomic: a refused command leaves the batch byte for byte as it was, pass-through chunks included', () => {
    const enc = new CommandEncoder();
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.oneof(arg, fc.constant(Buffer.alloc(9000, 7))), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.tuple(fc.nat(), fc.array(fc.oneof(arg, fc.constant(Buffer.alloc(9000, 8))), { maxLength: 6 }), bad)),
        (good, refused) => {
          const sent: A[][] = [];
          good.forEach((cmd, i) => {
            enc.push(cmd);
            sent.push(cmd);
            for (const [, before, b] of refused.filter(([n]) => n % good.length === i)) {
              const cmd2 = ['SET', ...before, b] as A[];
              expect(() => enc.push(cmd2)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
            }
          });
          expect(enc.pendingCommands).toBe(sent.length);
          expect(Buffer.concat(enc.flush()).equals(Buffer.concat(sent.map(reference)))).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
