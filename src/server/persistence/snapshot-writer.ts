/**
 * Streaming encoder of the snapshot format (snapshot-format.ts): records are appended to a chunk
 * buffer that is handed to `out` whenever it fills, so memory stays at one chunk whatever the
 * dataset size and the bytes can go to a file or a socket as they are produced. The running
 * CRC-32 covers every emitted byte; `end()` writes EOF and the checksum and flushes.
 *
 * Invariants: `out` receives each chunk once, never to be touched again by the writer unless the
 * sink gives it back to the ChunkPool (a fresh buffer is taken after each hand-off, so
 * asynchronous sinks may keep it); records are written in call order; after `end()` no record
 * may follow.
 */

import type { ValueType } from '../keyspace/entry.js';
import { crc32 } from './crc32.js';
import {
  HEADER_LENGTH,
  MAGIC,
  OP_AUX,
  OP_DELETE,
  OP_EOF,
  OP_SELECTDB,
  TAG_EXPIRES,
  VERSION,
  writeVarint,
} from './snapshot-format.js';

const DEFAULT_CHUNK = 256 * 1024;

/**
 * Chunk buffers a sink hands back once written, for the writer to reuse: a background save would
 * otherwise allocate its whole output size in fresh external buffers, which costs page faults and
 * prompts V8 into full collections of a large heap (external memory pressure).
 */
export class ChunkPool {
  private readonly free: Buffer[] = [];

  constructor(
    readonly chunkSize = DEFAULT_CHUNK,
    private readonly max = 64,
  ) {}

  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafe(this.chunkSize);
  }

  /** Returns a chunk (or a view starting at a chunk's first byte); other buffers are ignored. */
  give(view: Buffer): void {
    if (this.free.length >= this.max || view.byteOffset !== 0 || view.buffer.byteLength !== this.chunkSize) return;
    this.free.push(view.length === this.chunkSize ? view : Buffer.from(view.buffer, 0, this.chunkSize));
  }
}
/** Strings at least this long are handed over as their own buffer rather than copied in. */
const LARGE_STRING = 32 * 1024;

export class SnapshotWriter {
  private buf: Buffer;
  private len = 0;
  private crc = 0;
  private emitted = 0;
  private ended = false;

  private readonly chunkSize: number;

  /** `pool`: where fresh chunk buffers come from (the sink gives written ones back to it). */
  constructor(
    private readonly out: (chunk: Buffer) => void,
    private readonly pool: ChunkPool = new ChunkPool(),
  ) {
    this.chunkSize = pool.chunkSize;
    this.buf = pool.take();
  }

  /** Bytes produced so far (emitted and buffered). */
  get bytesWritten(): number {
    return this.emitted + this.len;
  }

  /** Magic, version and the aux fields (name → value). */
  header(aux: readonly (readonly [string, string])[]): void {
    this.ensure(HEADER_LENGTH);
    MAGIC.copy(this.buf, this.len);
    this.len += MAGIC.length;
    this.buf[this.len++] = VERSION;
    for (const [name, value] of aux) this.aux(name, value);
  }

  /** One AUX record (header fields, and the dataset's non-key records before EOF). */
  aux(name: string, value: string): void {
    this.byte(OP_AUX);
    this.str(name);
    this.str(value);
  }

  selectDb(db: number): void {
    this.byte(OP_SELECTDB);
    this.varint(db);
  }

  deleteKey(key: string): void {
    this.byte(OP_DELETE);
    this.str(key);
  }

  /** Starts a value record: tag, optional absolute expiry, key. The payload follows. */
  beginValue(type: ValueType, key: string, expireAt: number): void {
    if (expireAt !== -1) {
      this.byte(type | TAG_EXPIRES);
      this.varint(expireAt);
    } else {
      this.byte(type);
    }
    this.str(key);
  }

  /** A string value's payload. */
  stringPayload(value: string): void {
    this.str(value);
  }

  /** One batch of `n` list or set elements (n > 0). */
  items(strs: readonly string[], n: number): void {
    this.varint(n);
    for (let i = 0; i < n; i++) this.str(strs[i]!);
  }

  /** One batch of `n` hash pairs taken from `strs` as field, value, field, value… (n > 0). */
  pairs(strs: readonly string[], n: number): void {
    this.varint(n);
    for (let i = 0; i < 2 * n; i++) this.str(strs[i]!);
  }

  /** One batch of `n` sorted-set members and their scores (n > 0). */
  scored(members: readonly string[], scores: Float64Array, n: number): void {
    this.varint(n);
    for (let i = 0; i < n; i++) {
      this.str(members[i]!);
      this.ensure(8);
      this.buf.writeDoubleLE(scores[i]!, this.len);
      this.len += 8;
    }
  }

  /** Closes a collection payload. */
  endCollection(): void {
    this.byte(0);
  }

  /** EOF and checksum; flushes everything. */
  end(): void {
    if (this.ended) return;
    this.byte(OP_EOF);
    this.flush();
    this.ended = true;
    const tail = Buffer.allocUnsafe(4);
    tail.writeUInt32LE(this.crc, 0);
    this.emitted += 4;
    this.out(tail);
  }

  /** Hands the buffered bytes to the sink now. */
  flush(): void {
    if (this.len === 0) return;
    const chunk = this.buf.subarray(0, this.len);
    this.buf = this.pool.take();
    this.len = 0;
    this.emit(chunk);
  }

  private emit(chunk: Buffer): void {
    this.crc = crc32(chunk, this.crc);
    this.emitted += chunk.length;
    this.out(chunk);
  }

  private ensure(n: number): void {
    if (this.len + n > this.buf.length) this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(Math.max(n, this.chunkSize));
  }

  private byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }

  private varint(n: number): void {
    this.ensure(8);
    this.len = writeVarint(this.buf, this.len, n);
  }

  private str(s: string): void {
    const n = s.length;
    this.varint(n);
    if (n >= LARGE_STRING) {
      this.flush();
      this.emit(Buffer.from(s, 'latin1'));
      return;
    }
    this.ensure(n);
    this.len += this.buf.write(s, this.len, n, 'latin1');
  }
}
