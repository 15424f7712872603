/**
 * The AOF command stream: batches with checksummed trailers decode in any chunking; a flipped
 * byte anywhere is refused at an offset (structure) or as a checksum mismatch (payload); a torn
 * tail is reported as such, never applied.
 */
import { describe, expect, it } from 'vitest';
import { BatchBuffer } from '../../../../src/server/persistence/aof-format.js';
import { AofReader, type AofCommand } from '../../../../src/server/persistence/aof-reader.js';
import { DataFileError } from '../../../../src/server/persistence/snapshot-format.js';
import { rng } from './dump.js';

function encode(batches: string[][][]): Buffer {
  const parts: Buffer[] = [];
  const b = new BatchBuffer();
  batches.forEach((cmds, i) => {
    for (const c of cmds) b.command(c);
    parts.push(Buffer.from(b.seal(1_700_000_000_000 + i)));
    b.reset();
  });
  return Buffer.concat(parts);
}

function decode(bytes: Buffer, piece: number): { batches: { cmds: string[][]; time: number }[]; reader: AofReader } {
  const batches: { cmds: string[][]; time: number }[] = [];
  const reader = new AofReader(0, (cmds: readonly AofCommand[], time) => batches.push({ cmds: cmds.map((c) => c.argv), time }));
  for (let pos = 0; pos < bytes.length; pos += piece) {
    reader.push(bytes.subarray(pos, pos + piece));
    reader.run(() => false);
  }
  return { batches, reader };
}

function randomBatches(seed: number): string[][][] {
  const r = rng(seed);
  const out: string[][][] = [];
  for (let i = 0; i < 30; i++) {
    const cmds: string[][] = [];
    for (let j = 0, n = 1 + Math.floor(r() * 5); j < n; j++) {
      const argv = ['SET'];
      for (let k = 0, m = 1 + Math.floor(r() * 3); k < m; k++) {
        let s = '';
        for (let x = 0, len = Math.floor(r() * (r() < 0.05 ? 70_000 : 20)); x < len; x++) s += String.fromCharCode(Math.floor(r() * 256));
        argv.push(s);
      }
      cmds.push(argv);
    }
    out.push(cmds);
  }
  return out;
}

describe('AOF batches', () => {
  it('decode in any chunking, with their times', () => {
    const batches = randomBatches(5);
    const bytes = encode(batches);
    for (const piece of [bytes.length, 4096, 13, 1]) {
      const { batches: got, reader } = decode(bytes, piece);
      expect(got.map((b) => b.cmds)).toEqual(batches);
      expect(got.map((b) => b.time)).toEqual(batches.map((_, i) => 1_700_000_000_000 + i));
      expect(reader.hasTail).toBe(false);
      expect(reader.validEnd).toBe(bytes.length);
    }
  });

  it('report a torn tail and never apply the incomplete batch', () => {
    const batches = randomBatches(6);
    const bytes = encode(batches);
    const lastStart = encode(batches.slice(0, -1)).length;
    for (const cut of [bytes.length - 1, bytes.length - 30, lastStart + 3]) {
      const { batches: got, reader } = decode(bytes.subarray(0, cut), 1000);
      expect(got.length).toBe(batches.length - 1);
      expect(reader.hasTail).toBe(true);
      expect(reader.validEnd).toBe(lastStart);
    }
  });

  it('refuse a flipped byte anywhere with an offset', () => {
    const bytes = encode(randomBatches(7).slice(0, 8));
    const r = rng(9);
    for (let i = 0; i < 200; i++) {
      const at = Math.floor(r() * bytes.length);
      const bad = Buffer.from(bytes);
      bad[at]! ^= 1 << Math.floor(r() * 8);
      let err: unknown = null;
      try {
        const { reader } = decode(bad, 777);
        // A flip that turns a length into a longer one can only look like a torn tail.
        if (!reader.hasTail) err = new Error(`flip at ${at} went unnoticed`);
      } catch (e) {
        err = e;
      }
      if (err instanceof DataFileError) {
        expect(err.offset).toBeGreaterThanOrEqual(0);
        expect(err.offset).toBeLessThanOrEqual(bytes.length);
        expect(err.message).toMatch(/at offset \d+/);
      } else {
        expect(err).toBeNull();
      }
    }
  });
});
