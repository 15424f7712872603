/**
 * Heap size of the strings collections hold, for their memory estimates (MEMORY USAGE,
 * maxmemory). Values arrive from the request parser as flat one-byte (latin1) V8 strings: a
 * 16-byte header (map, hash, length on 64-bit without pointer compression) and the characters,
 * rounded up to 8 bytes. Measured with `node --expose-gc` over 100k strings of 8–100 bytes.
 */

/** Heap bytes of a flat one-byte string of `len` characters. */
export function stringBytes(len: number): number {
  return (16 + len + 7) & ~7;
}
