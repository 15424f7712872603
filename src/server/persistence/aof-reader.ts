/**
 * Incremental decoder of the AOF command stream (aof-format.ts): RESP commands grouped in
 * batches, each closed by an RC-BATCH trailer whose CRC-32 is verified before the batch is handed
 * to `onBatch` — a batch is applied whole or not at all.
 *
 * Offsets are absolute file offsets. `validEnd` is the end of the last verified batch: what
 * follows it at the end of the file (a batch without trailer, a cut command) is a torn tail.
 * A malformed byte raises DataFileError at its offset; a checksum mismatch raises it at the
 * batch's first byte.
 */

import { ByteInput, UNDERFLOW } from './byte-input.js';
import { crc32 } from './crc32.js';
import { TRAILER_NAME } from './aof-format.js';
import { DataFileError } from './snapshot-format.js';

export interface AofCommand {
  readonly argv: string[];
  /** Absolute offset of the command's first byte. */
  readonly offset: number;
}

export type BatchHandler = (commands: readonly AofCommand[], timeMs: number) => void;

/** Longest `*n` / `$n` header line we accept (digits plus CRLF). */
const MAX_LINE = 24;
const MAX_ARGS = 1 << 20;

export class AofReader {
  private readonly in: ByteInput;
  private commands: AofCommand[] = [];
  private crc = 0;
  private batchStart: number;
  private lastBulkAt = 0;

  constructor(
    startOffset: number,
    private readonly onBatch: BatchHandler,
  ) {
    this.in = new ByteInput(startOffset);
    this.batchStart = startOffset;
  }

  /** End of the last verified batch (where a torn tail starts). */
  get validEnd(): number {
    return this.batchStart;
  }

  /** True when bytes or commands after `validEnd` are buffered (a torn tail, at end of input). */
  get hasTail(): boolean {
    return this.commands.length > 0 || this.in.available > 0;
  }

  push(chunk: Buffer): void {
    this.in.push(chunk);
  }

  /** Decodes buffered commands until more data is needed ('more') or `stop()` says to yield. */
  run(stop: () => boolean): 'more' | 'paused' {
    const input = this.in;
    if (!input.ready) return 'more';
    for (;;) {
      const start = input.pos;
      let argv: string[];
      try {
        argv = this.parseCommand();
      } catch (err) {
        if (err !== UNDERFLOW) throw err;
        input.pos = start;
        return 'more';
      }
      if (argv[0] === TRAILER_NAME) this.closeBatch(argv, start);
      else {
        this.crc = crc32(input.buf.subarray(start, input.pos), this.crc);
        this.commands.push({ argv, offset: input.base + start });
      }
      if (stop()) return 'paused';
    }
  }

  private closeBatch(argv: string[], start: number): void {
    const input = this.in;
    const at = input.base + start;
    if (argv.length !== 3 || !/^\d{1,16}$/.test(argv[1]!) || !/^[0-9a-f]{8}$/.test(argv[2]!)) {
      throw new DataFileError(at, 'malformed batch trailer');
    }
    const crc = crc32(input.buf.subarray(start, this.lastBulkAt), this.crc);
    if (crc !== parseInt(argv[2]!, 16)) {
      throw new DataFileError(this.batchStart, `checksum mismatch in the batch that ends at offset ${at}`);
    }
    const commands = this.commands;
    this.commands = [];
    this.crc = 0;
    this.batchStart = input.base + input.pos;
    this.onBatch(commands, Number(argv[1]));
  }

  private fail(pos: number, detail: string): never {
    throw new DataFileError(this.in.base + pos, detail);
  }

  private parseCommand(): string[] {
    const input = this.in;
    input.need(1);
    if (input.buf[input.pos] !== 42) this.fail(input.pos, `expected '*', got byte 0x${input.buf[input.pos]!.toString(16)}`);
    const n = this.lineNumber();
    if (n < 1 || n > MAX_ARGS) this.fail(input.pos, `invalid argument count ${n}`);
    const argv: string[] = [];
    for (let i = 0; i < n; i++) {
      input.need(1);
      if (input.buf[input.pos] !== 36) this.fail(input.pos, `expected '$', got byte 0x${input.buf[input.pos]!.toString(16)}`);
      this.lastBulkAt = input.pos;
      const len = this.lineNumber();
      input.need(len + 2);
      const end = input.pos + len;
      if (input.buf[end] !== 13 || input.buf[end + 1] !== 10) this.fail(end, 'bulk string not terminated by CRLF');
      argv.push(input.buf.toString('latin1', input.pos, end));
      input.pos = end + 2;
    }
    return argv;
  }

  /** Reads the decimal number of a `*n\r\n` / `$n\r\n` line starting at the type byte. */
  private lineNumber(): number {
    const input = this.in;
    const buf = input.buf;
    const from = input.pos + 1;
    let i = from;
    let n = 0;
    for (; i < buf.length && i - from < MAX_LINE; i++) {
      const b = buf[i]!;
      if (b === 13) break;
      if (b < 48 || b > 57) this.fail(i, `invalid length character 0x${b.toString(16)}`);
      n = n * 10 + (b - 48);
    }
    if (i - from >= MAX_LINE) this.fail(from, 'length line too long');
    input.need(i - input.pos + 2);
    if (i === from || buf[i + 1] !== 10) this.fail(i, 'malformed length line');
    input.pos = i + 2;
    return n;
  }
}
