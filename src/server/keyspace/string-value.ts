/**
 * A string value's two representations and the accessors every reader and writer of string
 * values goes through (never `e.value as string`).
 *
 * - A JS string (latin1, one char per byte): what SET, the request parser and every small value
 *   use. Immutable: a change makes a new string.
 * - A ByteString: mutable bytes with spare capacity (Redis's sds), for big values that commands
 *   edit in place — SETBIT, SETRANGE, APPEND, BITFIELD and BITOP's destination turn a value of
 *   BYTES_MIN bytes or more into one, so an edit costs what it touches, not a copy of the value.
 *
 * Invariants (the ByteString's own are in datatypes/structures/byte-string.ts):
 * - Whoever changes a value in place ends with keyspace.signalModified (or db.remeasure), which
 *   re-measures the entry: capacity counts in used_memory.
 * - A ByteString is owned by one entry: COPY clones it; nothing else keeps a reference past the
 *   command that read it (replies and snapshots copy the bytes).
 * - The representation is invisible on the wire and on disk: both write the same bytes.
 */

import { stringBytes } from '../datatypes/structures/string-bytes.js';
import { ByteString, type StringValue } from '../datatypes/structures/byte-string.js';

export { ByteString, type StringValue };

/** Values at least this long become ByteStrings when a command edits them in place. */
export const BYTES_MIN = 4096;

/** An entry's value known to be a string (the caller checked `type === ValueType.STRING`). */
export function stringOf(e: { readonly value: unknown }): StringValue {
  return e.value as StringValue;
}

/** Length in bytes. */
export function strLength(v: StringValue): number {
  return typeof v === 'string' ? v.length : v.len;
}

/** The value as a latin1 string (a copy for a ByteString: for readers that need text). */
export function strText(v: StringValue): string {
  return typeof v === 'string' ? v : v.text();
}

/** Byte `i` (0 past the end). */
export function strByte(v: StringValue, i: number): number {
  if (typeof v === 'string') return i < v.length ? v.charCodeAt(i) : 0;
  return i < v.len ? v.buf[i]! : 0;
}

/**
 * The value as a ByteString at least `len` bytes long (zero-padded), for an in-place edit: the
 * same ByteString grown, or a new one holding the string's bytes.
 */
export function toBytes(v: StringValue, len: number): ByteString {
  if (typeof v !== 'string') {
    v.growZero(len);
    return v;
  }
  const b = ByteString.fromText(v, Math.max(len, v.length));
  b.growZero(len);
  return b;
}

/** Estimated heap bytes of a string value (MEMORY USAGE, used_memory). */
export function strHeapBytes(v: StringValue): number {
  return typeof v === 'string' ? stringBytes(v.length) : v.heapBytes;
}
