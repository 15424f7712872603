/**
 * ReplyWriter's relief point: whatever the moment pending bytes are spilled (in the middle of a
 * reply, of a push frame, or of a command whose replies are suppressed by CLIENT REPLY OFF), the
 * bytes that leave — spilled chunks then `take()` — are exactly what a writer that never spills
 * would send: every reply of a kept command, and only the push frames of a suppressed one.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReplyWriter } from '../../src/protocol/reply-writer.js';

type Op = { kind: 'bulk'; size: number } | { kind: 'push'; items: number; size: number } | { kind: 'array'; items: number; size: number };

interface Command {
  suppressed: boolean;
  ops: Op[];
}

function write(w: ReplyWriter, op: Op): void {
  const text = (n: number): string => 'x'.repeat(n);
  if (op.kind === 'bulk') return w.bulk(text(op.size));
  if (op.kind === 'push') {
    w.push(op.items);
    for (let i = 0; i < op.items; i++) w.bulk(text(op.size));
    return;
  }
  w.array(op.items);
  for (let i = 0; i < op.items; i++) w.bulk(text(op.size));
}

/** What leaves the writer for these commands, spilled or not. */
function run(commands: readonly Command[], spill: boolean): Buffer {
  const w = new ReplyWriter();
  const out: Buffer[] = [];
  if (spill) w.spill = (chunk) => out.push(chunk);
  for (const cmd of commands) {
    const mark = cmd.suppressed ? w.suppressFrom() : -1;
    for (const op of cmd.ops) write(w, op);
    if (cmd.suppressed) w.dropRepliesSince(mark);
  }
  const rest = w.take();
  if (rest !== null) out.push(rest);
  return Buffer.concat(out);
}

/** The reference: each command encoded alone, pushes only for a suppressed one. */
function expected(commands: readonly Command[]): Buffer {
  const out: Buffer[] = [];
  for (const cmd of commands) {
    const w = new ReplyWriter();
    for (const op of cmd.ops) if (!cmd.suppressed || op.kind === 'push') write(w, op);
    const b = w.take();
    if (b !== null) out.push(b);
  }
  return Buffer.concat(out);
}

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('bulk' as const), size: fc.integer({ min: 0, max: 40_000 }) }),
  fc.record({ kind: fc.constant('push' as const), items: fc.integer({ min: 1, max: 8 }), size: fc.integer({ min: 0, max: 30_000 }) }),
  fc.record({ kind: fc.constant('array' as const), items: fc.integer({ min: 0, max: 2000 }), size: fc.integer({ min: 0, max: 100 }) }),
);
const command: fc.Arbitrary<Command> = fc.record({ suppressed: fc.boolean(), ops: fc.array(op, { maxLength: 6 }) });

describe('ReplyWriter spilling', () => {
  it('sends the same bytes as a writer that never spills, suppression included', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 8 }), (commands) => {
        const want = expected(commands);
        expect(run(commands, false).equals(want)).toBe(true);
        expect(run(commands, true).equals(want)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps at most about one spill unit pending while a long reply is built', () => {
    const w = new ReplyWriter();
    let spilled = 0;
    let maxPending = 0;
    w.spill = (chunk) => (spilled += chunk.length);
    w.array(200_000);
    for (let i = 0; i < 200_000; i++) {
      w.bulk('member');
      maxPending = Math.max(maxPending, w.length);
    }
    expect(spilled + w.length).toBe(Buffer.byteLength('*200000\r\n') + 200_000 * 12);
    expect(maxPending).toBeLessThan(80 * 1024);
  });
});
