/**
 * The snapshot format end to end without a server: CRC-32 (native and table versions agree),
 * write → read round trips of every type in any chunking, later records replacing earlier ones,
 * and the refusals (bad magic, bad checksum, truncation) with their offsets.
 */
import { randomBytes } from 'node:crypto';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Keyspace } from '../../../../src/server/keyspace/keyspace.js';
import { crc32, crc32Table } from '../../../../src/server/persistence/crc32.js';
import { DataFileError } from '../../../../src/server/persistence/snapshot-format.js';
import { KeyspaceLoader } from '../../../../src/server/persistence/snapshot-loader.js';
import { SnapshotReader } from '../../../../src/server/persistence/snapshot-reader.js';
import { SnapshotJob } from '../../../../src/server/persistence/snapshot-job.js';
import { ChunkPool, SnapshotWriter } from '../../../../src/server/persistence/snapshot-writer.js';
import { dump, fillRandom, rng } from './dump.js';

const LIMITS = { hashEntries: 128, hashValue: 64 };

function writeAll(ks: Keyspace): Buffer {
  const chunks: Buffer[] = [];
  const w = new SnapshotWriter((c) => chunks.push(c), new ChunkPool(4096));
  w.header([['format', '1']]);
  new SnapshotJob(ks, w).step(Infinity);
  return Buffer.concat(chunks);
}

function readAll(bytes: Buffer, pieces: number[], skipExpired = true): Keyspace {
  const ks = new Keyspace(16);
  const loader = new KeyspaceLoader(ks, { skipExpired, now: Date.now(), limits: LIMITS });
  const reader = new SnapshotReader(loader);
  let pos = 0;
  let i = 0;
  let state = 'more';
  while (pos < bytes.length) {
    const n = Math.max(1, pieces[i++ % pieces.length]!);
    reader.push(bytes.subarray(pos, pos + n));
    pos += n;
    let budget = 3;
    do state = reader.run(() => --budget <= 0);
    while (state === 'paused' && (budget = 3) > 0);
  }
  reader.end();
  expect(state).toBe('done');
  return ks;
}

describe('crc32', () => {
  it('matches the reference value and the native implementation', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32Table(Buffer.from('123456789'))).toBe(0xcbf43926);
    const native = (zlib as { crc32?: (d: Uint8Array, v?: number) => number }).crc32;
    for (let i = 0; i < 50; i++) {
      const data = randomBytes(i * 37);
      const split = Math.floor(data.length / 3);
      const incremental = crc32Table(data.subarray(split), crc32Table(data.subarray(0, split)));
      expect(incremental).toBe(crc32Table(data));
      if (native !== undefined) expect(crc32Table(data)).toBe(native(data) >>> 0);
    }
  });
});

describe('snapshot writer and reader', () => {
  it('round-trips every type, TTLs and binary strings in any chunking', () => {
    const ks = new Keyspace(16);
    fillRandom(ks, 400, 7);
    const bytes = writeAll(ks);
    const r = rng(3);
    for (const pieces of [[bytes.length], [7, 3, 1000], Array.from({ length: 20 }, () => Math.floor(r() * 50_000))]) {
      expect(dump(readAll(bytes, pieces))).toEqual(dump(ks));
    }
    // Byte by byte (every unit cut everywhere) on a smaller dataset.
    const small = new Keyspace(16);
    fillRandom(small, 60, 8);
    expect(dump(readAll(writeAll(small), [1]))).toEqual(dump(small));
  });

  it('lets a later record replace an earlier one and DELETE remove a key', () => {
    const chunks: Buffer[] = [];
    const w = new SnapshotWriter((c) => chunks.push(c));
    w.header([]);
    w.selectDb(2);
    w.beginValue(0, 'a', -1);
    w.stringPayload('old');
    w.beginValue(1, 'b', -1);
    w.items(['x'], 1);
    w.endCollection();
    w.beginValue(0, 'a', -1);
    w.stringPayload('new');
    w.deleteKey('b');
    w.end();
    const ks = readAll(Buffer.concat(chunks), [5]);
    expect(dump(ks)).toEqual({ '2:a': 'string:"new"@-1' });
  });

  it('skips keys already expired for snapshot files, keeps them for an AOF preamble', () => {
    const chunks: Buffer[] = [];
    const w = new SnapshotWriter((c) => chunks.push(c));
    w.header([]);
    w.beginValue(0, 'gone', Date.now() - 1000);
    w.stringPayload('v');
    w.end();
    const bytes = Buffer.concat(chunks);
    expect(readAll(bytes, [100]).dbs[0]!.size).toBe(0);
    expect(readAll(bytes, [100], false).dbs[0]!.size).toBe(1);
  });

  it('refuses a bad checksum, a bad magic and a truncated file, naming the offset', () => {
    const ks = new Keyspace(16);
    fillRandom(ks, 50, 11);
    const bytes = writeAll(ks);
    const flipped = Buffer.from(bytes);
    flipped[Math.floor(bytes.length / 2)]! ^= 0x01;
    let err: unknown;
    try {
      readAll(flipped, [bytes.length]);
    } catch (e) {
      err = e;
    }
    // A flipped byte is either a malformed record or, caught last, a checksum mismatch.
    expect(err).toBeInstanceOf(DataFileError);
    expect((err as DataFileError).offset).toBeGreaterThan(0);
    const badMagic = Buffer.from(bytes);
    badMagic[0] = 0x52 ^ 0x20;
    expect(() => readAll(badMagic, [100])).toThrow(/Wrong signature.*at offset 0/);
    expect(() => readAll(bytes.subarray(0, bytes.length - 3), [100])).toThrow(/truncated/);
    // A value byte flipped (not structure): only the checksum can see it.
    const chunks: Buffer[] = [];
    const w = new SnapshotWriter((c) => chunks.push(c));
    w.header([]);
    w.beginValue(0, 'k', -1);
    w.stringPayload('abcdef');
    w.end();
    const one = Buffer.concat(chunks);
    one[one.indexOf('abcdef') + 2]! ^= 0x01;
    expect(() => readAll(one, [3])).toThrow(/Wrong snapshot checksum.*at offset/);
  });
});
