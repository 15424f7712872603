/**
 * LZF (Marc Lehmann's liblzf format, which Redis uses for RDB strings): a stream of
 * - literal runs: control byte 000LLLLL, then L + 1 bytes (1–32);
 * - back references: control byte LLLOOOOO [extra length byte when LLL = 7] OOOOOOOO: copy
 *   len + 2 bytes (len = LLL, or 7 + extra) from `offset + 1` bytes back (offset < 8192).
 *
 * `decompress` accepts any valid stream and refuses anything else (a reference before the start,
 * output longer or shorter than announced). `compress` is our own greedy matcher over a hash of
 * 3-byte prefixes: its output differs from liblzf's byte for byte but any LZF reader (Redis's)
 * decodes it. It gives up (null) when the output would not fit in `maxOut` bytes, as liblzf does.
 */

const MAX_LIT = 32;
const MAX_OFF = 8192;
const MAX_REF = 264; // 7 + 255 + 2
const HLOG = 14;
const HSIZE = 1 << HLOG;

/** Decompresses `input` into exactly `outLen` bytes, or null when the stream is invalid. */
export function lzfDecompress(input: Uint8Array, outLen: number): Buffer | null {
  const out = Buffer.allocUnsafe(outLen);
  let ip = 0;
  let op = 0;
  while (ip < input.length) {
    let ctrl = input[ip++]!;
    if (ctrl < 32) {
      ctrl++;
      if (op + ctrl > outLen || ip + ctrl > input.length) return null;
      for (let k = 0; k < ctrl; k++) out[op++] = input[ip++]!;
      continue;
    }
    let len = ctrl >> 5;
    if (len === 7) {
      if (ip >= input.length) return null;
      len += input[ip++]!;
    }
    if (ip >= input.length) return null;
    const ref = op - ((ctrl & 0x1f) << 8) - 1 - input[ip++]!;
    len += 2;
    if (op + len > outLen || ref < 0) return null;
    for (let k = 0; k < len; k++) out[op++] = out[ref + k]!;
  }
  return op === outLen ? out : null;
}

/**
 * Last position (+ `base`) of each 3-byte hash. `base` grows by the input length every call, so
 * entries of earlier inputs read as out of range without clearing the table.
 */
const TABLE = new Int32Array(HSIZE);
let base = 0;
let scratch = Buffer.allocUnsafe(1 << 16);

function hash3(b: Uint8Array, i: number): number {
  const v = (b[i]! << 16) | (b[i + 1]! << 8) | b[i + 2]!;
  return (Math.imul(v, 2654435761) >>> (32 - HLOG)) & (HSIZE - 1);
}

/** Compresses `input`; null when the result would exceed `maxOut` bytes (or input is tiny). */
export function lzfCompress(input: Uint8Array, maxOut: number): Buffer | null {
  const n = input.length;
  if (n < 4 || maxOut <= 0) return null;
  if (base + n + MAX_OFF >= 0x7fffffff) {
    TABLE.fill(0);
    base = 0;
  }
  base += MAX_OFF + 1;
  if (scratch.length < maxOut + MAX_LIT + 2) scratch = Buffer.allocUnsafe(maxOut + MAX_LIT + 2);
  const out = scratch;
  let op = 1; // room for the first literal control byte
  let lit = 0;
  let ip = 0;
  while (ip < n) {
    if (ip < n - 2) {
      const h = hash3(input, ip);
      const ref = TABLE[h]! - base;
      TABLE[h] = ip + base;
      const off = ip - ref - 1;
      if (ref >= 0 && off < MAX_OFF && input[ref] === input[ip] && input[ref + 1] === input[ip + 1] && input[ref + 2] === input[ip + 2]) {
        let len = 3;
        const maxLen = Math.min(MAX_REF, n - ip);
        while (len < maxLen && input[ref + len] === input[ip + len]) len++;
        if (lit > 0) out[op - lit - 1] = lit - 1;
        else op--; // drop the unused literal control byte
        if (op + 4 > maxOut) return null;
        const l = len - 2;
        if (l < 7) out[op++] = (l << 5) | (off >> 8);
        else {
          out[op++] = (7 << 5) | (off >> 8);
          out[op++] = l - 7;
        }
        out[op++] = off & 0xff;
        op++; // next literal control byte
        lit = 0;
        for (let k = 1; k < len && ip + k < n - 2; k++) TABLE[hash3(input, ip + k)] = ip + k + base;
        ip += len;
        continue;
      }
    }
    if (op >= maxOut) return null;
    out[op++] = input[ip++]!;
    if (++lit === MAX_LIT) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  if (lit > 0) out[op - lit - 1] = lit - 1;
  else op--;
  base += n;
  return op > maxOut ? null : Buffer.from(out.subarray(0, op));
}
