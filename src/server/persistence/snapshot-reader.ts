/**
 * Incremental decoder of the snapshot format (snapshot-format.ts): bytes are pushed as they
 * arrive (file reads, a replication socket), and `run()` decodes as many records as the buffered
 * bytes hold, handing each to a visitor, until the data runs out, the caller's `stop()` says to
 * yield (time-bounded loading), or the EOF record and checksum have been read.
 *
 * Parsing is in units (one record header, or one collection batch) that are either decoded whole
 * or rewound: a unit cut by the end of the buffered data is retried when more arrives (see
 * byte-input.ts). Any malformed byte raises DataFileError with its absolute offset; the checksum is
 * verified before `run()` reports 'done'.
 */

import { ValueType } from '../keyspace/entry.js';
import { ByteInput, UNDERFLOW } from './byte-input.js';
import { crc32 } from './crc32.js';
import {
  HEADER_LENGTH,
  MAGIC,
  MAX_TYPE,
  OP_AUX,
  OP_DELETE,
  OP_EOF,
  OP_SELECTDB,
  DataFileError,
  TAG_EXPIRES,
  VERSION,
} from './snapshot-format.js';

/** Receives the decoded records in order. */
export interface SnapshotVisitor {
  aux(name: string, value: string): void;
  selectDb(db: number): void;
  string(key: string, value: string, expireAt: number): void;
  beginCollection(type: ValueType, key: string, expireAt: number): void;
  /** One batch: list/set elements (`count` strings), hash pairs (2×`count` strings), or zset members with `scores`. */
  items(strs: readonly string[], scores: Float64Array | null, count: number): void;
  endCollection(): void;
  deleteKey(key: string): void;
}

export type ReadState = 'more' | 'paused' | 'done';

const MAX_VARINT = Number.MAX_SAFE_INTEGER;

export class SnapshotReader {
  private readonly in = new ByteInput();
  private crc = 0;
  private headerRead = false;
  private done = false;
  /** The type of the collection whose batches are being read, or -1. */
  private collection = -1;
  private readonly strs: string[] = [];
  private scores = new Float64Array(64);

  constructor(private readonly visitor: SnapshotVisitor) {}

  /** Absolute offset of the next unread byte. */
  get offset(): number {
    return this.in.offset;
  }

  get finished(): boolean {
    return this.done;
  }

  /** Buffers more input. */
  push(chunk: Buffer): void {
    this.in.push(chunk);
  }

  /** Bytes buffered after the snapshot's end (an AOF's commands); valid once done. */
  rest(): Buffer {
    return this.in.rest();
  }

  /**
   * Decodes buffered records until more data is needed ('more'), `stop()` returns true between
   * units ('paused'), or the snapshot ended with a valid checksum ('done').
   */
  run(stop: () => boolean): ReadState {
    if (this.done) return 'done';
    if (!this.in.ready) return 'more';
    const input = this.in;
    for (;;) {
      const start = input.pos;
      try {
        if (!this.headerRead) this.readHeader();
        else if (this.collection !== -1) this.readBatch();
        else if (this.readRecord()) return 'done';
      } catch (err) {
        if (err !== UNDERFLOW) throw err;
        input.pos = start;
        return 'more';
      }
      this.crc = crc32(input.buf.subarray(start, input.pos), this.crc);
      if (stop()) return 'paused';
    }
  }

  /** Raises the truncation error when the input ended before the snapshot did. */
  end(): void {
    if (!this.done) throw new DataFileError(this.offset, 'Unexpected end of snapshot data (truncated)');
  }

  private fail(at: number, detail: string): never {
    throw new DataFileError(this.in.base + at, detail);
  }

  private readHeader(): void {
    this.need(HEADER_LENGTH);
    if (this.in.buf.compare(MAGIC, 0, MAGIC.length, this.in.pos, this.in.pos + MAGIC.length) !== 0) this.fail(this.in.pos, 'Wrong signature: not a ringcache snapshot');
    const version = this.in.buf[this.in.pos + MAGIC.length]!;
    if (version !== VERSION) this.fail(this.in.pos + MAGIC.length, `Can't handle snapshot format version ${version}`);
    this.in.pos += HEADER_LENGTH;
    this.headerRead = true;
  }

  /** One top-level record; true at EOF (checksum verified). */
  private readRecord(): boolean {
    const at = this.in.pos;
    const op = this.u8();
    switch (op) {
      case OP_EOF: {
        this.need(4);
        const expected = crc32(this.in.buf.subarray(at, this.in.pos), this.crc);
        const stored = this.in.buf.readUInt32LE(this.in.pos);
        if (stored !== expected) this.fail(this.in.pos, `Wrong snapshot checksum: expected ${hex(stored)}, computed ${hex(expected)}`);
        this.in.pos += 4;
        this.done = true;
        return true;
      }
      case OP_AUX:
        this.visitor.aux(this.str(), this.str());
        return false;
      case OP_SELECTDB:
        this.visitor.selectDb(this.varint());
        return false;
      case OP_DELETE:
        this.visitor.deleteKey(this.str());
        return false;
    }
    const type = op & ~TAG_EXPIRES;
    if (type > MAX_TYPE) this.fail(at, `Unknown record type 0x${op.toString(16)}`);
    const expireAt = op & TAG_EXPIRES ? this.varint() : -1;
    const key = this.str();
    if (type === ValueType.STRING) {
      this.visitor.string(key, this.str(), expireAt);
    } else {
      this.visitor.beginCollection(type as ValueType, key, expireAt);
      this.collection = type;
    }
    return false;
  }

  private readBatch(): void {
    const n = this.varint();
    if (n === 0) {
      this.collection = -1;
      this.visitor.endCollection();
      return;
    }
    const strs = this.strs;
    strs.length = 0;
    if (this.collection === ValueType.ZSET) {
      if (this.scores.length < n) this.scores = new Float64Array(Math.max(n, this.scores.length * 2));
      for (let i = 0; i < n; i++) {
        strs.push(this.str());
        this.need(8);
        const score = this.in.buf.readDoubleLE(this.in.pos);
        if (Number.isNaN(score)) this.fail(this.in.pos, 'NaN sorted-set score');
        this.scores[i] = score;
        this.in.pos += 8;
      }
      this.visitor.items(strs, this.scores, n);
      return;
    }
    const per = this.collection === ValueType.HASH ? 2 : 1;
    for (let i = 0; i < n * per; i++) strs.push(this.str());
    this.visitor.items(strs, null, n);
  }

  private need(n: number): void {
    this.in.need(n);
  }

  private u8(): number {
    this.need(1);
    return this.in.buf[this.in.pos++]!;
  }

  private varint(): number {
    let result = 0;
    let mul = 1;
    const at = this.in.pos;
    for (let i = 0; i < 8; i++) {
      const b = this.u8();
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) {
        if (result > MAX_VARINT) break;
        return result;
      }
      mul *= 128;
    }
    return this.fail(at, 'Invalid length encoding');
  }

  private str(): string {
    const n = this.varint();
    this.need(n);
    const s = this.in.buf.toString('latin1', this.in.pos, this.in.pos + n);
    this.in.pos += n;
    return s;
  }
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}
