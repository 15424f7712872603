/**
 * FUNCTION DUMP / RESTORE payloads in Redis 7.0's format, so a dump taken from real Redis restores
 * here and the other way round: one RDB_OPCODE_FUNCTION2 (245) record per library holding its
 * code as an RDB string, then the RDB version (10, little-endian u16) and a CRC-64 (Jones,
 * reflected — Redis's crc64) of everything before it, little-endian. Strings are written plain;
 * RDB integer and LZF-compressed strings (what Redis writes for long code) are read.
 */

const RDB_VERSION = 10;
const OPCODE_FUNCTION2 = 245;
const POLY = 0xad93d23594c935a9n;
const MASK64 = (1n << 64n) - 1n;

let table: bigint[] | null = null;

function crcTable(): bigint[] {
  if (table !== null) return table;
  const t: bigint[] = [];
  for (let i = 0; i < 256; i++) {
    let crc = BigInt(i);
    for (let j = 0; j < 8; j++) crc = crc & 1n ? (crc >> 1n) ^ POLY : crc >> 1n;
    t.push(crc);
  }
  return (table = t);
}

/** Redis's crc64 (Jones coefficients, reflected in and out, initial value 0). */
export function crc64(bytes: Uint8Array, end = bytes.length): bigint {
  const t = crcTable();
  let crc = 0n;
  for (let i = 0; i < end; i++) crc = t[Number((crc ^ BigInt(bytes[i]!)) & 0xffn)]! ^ (crc >> 8n);
  return crc & MASK64;
}

function rdbLength(n: number): Buffer {
  if (n < 64) return Buffer.from([n]);
  if (n < 16384) return Buffer.from([0x40 | (n >> 8), n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = 0x80;
  b.writeUInt32BE(n, 1);
  return b;
}

/** The payload of FUNCTION DUMP for these library codes. */
export function dumpFunctions(codes: readonly string[]): Buffer {
  const parts: Buffer[] = [];
  for (const code of codes) {
    const body = Buffer.from(code, 'latin1');
    parts.push(Buffer.from([OPCODE_FUNCTION2]), rdbLength(body.length), body);
  }
  parts.push(Buffer.from([RDB_VERSION & 0xff, RDB_VERSION >> 8]));
  const head = Buffer.concat(parts);
  const crc = Buffer.alloc(8);
  crc.writeBigUInt64LE(crc64(head));
  return Buffer.concat([head, crc]);
}

/** Redis's verifyDumpPayload: a known RDB version and a matching CRC-64. */
export function verifyPayload(p: Buffer): boolean {
  if (p.length < 10) return false;
  const footer = p.length - 10;
  const version = p[footer]! | (p[footer + 1]! << 8);
  if (version > RDB_VERSION) return false;
  return crc64(p, p.length - 8) === p.readBigUInt64LE(footer + 2);
}

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  byte(): number {
    if (this.pos >= this.buf.length) throw new RangeError('short payload');
    return this.buf[this.pos++]!;
  }

  /** An RDB length; `encoded` is set for the special string encodings (11xxxxxx). */
  length(): { n: number; encoded: boolean } {
    const first = this.byte();
    const kind = first >> 6;
    if (kind === 0) return { n: first & 0x3f, encoded: false };
    if (kind === 1) return { n: ((first & 0x3f) << 8) | this.byte(), encoded: false };
    if (kind === 3) return { n: first & 0x3f, encoded: true };
    if (first === 0x80) return { n: this.take(4).readUInt32BE(0), encoded: false };
    if (first === 0x81) return { n: Number(this.take(8).readBigUInt64BE(0)), encoded: false };
    throw new RangeError('bad length');
  }

  take(n: number): Buffer {
    if (this.pos + n > this.buf.length) throw new RangeError('short payload');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  string(): string {
    const { n, encoded } = this.length();
    if (!encoded) return this.take(n).toString('latin1');
    if (n === 0) return String(this.take(1).readInt8(0));
    if (n === 1) return String(this.take(2).readInt16LE(0));
    if (n === 2) return String(this.take(4).readInt32LE(0));
    if (n === 3) {
      const clen = this.length().n;
      const len = this.length().n;
      return lzfDecompress(this.take(clen), len).toString('latin1');
    }
    throw new RangeError('unknown string encoding');
  }
}

/** LZF decompression (liblzf's lzf_decompress, as Redis's RDB strings use it). */
function lzfDecompress(input: Buffer, outLen: number): Buffer {
  const out = Buffer.alloc(outLen);
  let ip = 0;
  let op = 0;
  while (ip < input.length) {
    let ctrl = input[ip++]!;
    if (ctrl < 32) {
      ctrl++;
      if (op + ctrl > outLen || ip + ctrl > input.length) throw new RangeError('lzf overflow');
      input.copy(out, op, ip, ip + ctrl);
      op += ctrl;
      ip += ctrl;
    } else {
      let len = ctrl >> 5;
      let ref = op - ((ctrl & 0x1f) << 8) - 1;
      if (len === 7) len += input[ip++]!;
      ref -= input[ip++]!;
      len += 2;
      if (op + len > outLen || ref < 0) throw new RangeError('lzf overflow');
      for (let i = 0; i < len; i++) out[op++] = out[ref++]!;
    }
  }
  if (op !== outLen) throw new RangeError('lzf length mismatch');
  return out;
}

/** The library codes of a verified payload, or Redis's error text. */
export function readFunctions(p: Buffer): string[] | string {
  const r = new Reader(p);
  const end = p.length - 10;
  const codes: string[] = [];
  try {
    while (end - r.pos > 0) {
      const type = r.byte();
      if (type !== OPCODE_FUNCTION2) return type === 246 ? 'ERR Pre-GA function format not supported' : 'ERR given type is not a function';
      codes.push(r.string());
    }
  } catch {
    return 'ERR failed loading the given functions payload';
  }
  return codes;
}
