/**
 * What the bit commands (bitmap.ts, bitfield.ts) share: Redis's bit offset rule
 * (getBitOffsetFromArgument: `#n` multiplies by the field width in BITFIELD; the byte must be
 * under proto-max-bulk-len unless the client is the AOF loader or our master), the string lookup
 * that bit writes start with, and the size guard of a grown value.
 */

import { constants } from 'node:buffer';
import type { ClientContext } from '../dispatch/context.js';
import { InternalClient } from '../dispatch/internal-client.js';
import { parseInteger } from '../dispatch/args.js';
import * as R from '../dispatch/replies.js';
import { ValueType, type Entry } from '../keyspace/entry.js';
import { stringOf, type StringValue } from '../keyspace/string-value.js';

export const BIT_OFFSET_ERR = 'ERR bit offset is not an integer or out of range';

/**
 * Longest string value V8 can hold (2^29 - 24 chars on 64-bit), 24 bytes short of Redis's 512 MB
 * proto-max-bulk-len default: a bit write that would need more is refused with Redis's size error.
 */
export const MAX_VALUE_BYTES = constants.MAX_STRING_LENGTH;

/** Redis's mustObeyClient: limits that protect against users do not apply to replayed writes. */
function mustObey(c: ClientContext): boolean {
  return c instanceof InternalClient;
}

/**
 * Parses a bit offset; with `fieldBits` > 0 (BITFIELD) `#n` means n * fieldBits. Replies with
 * Redis's error and returns null when the offset is not an integer, negative or too far.
 */
export function bitOffset(c: ClientContext, arg: string, fieldBits = 0): number | null {
  const hash = fieldBits > 0 && arg.charCodeAt(0) === 35;
  let n = parseInteger(hash ? arg.slice(1) : arg);
  if (n !== null && hash) n *= fieldBits;
  if (n === null || n < 0 || !Number.isSafeInteger(n) || (!mustObey(c) && Math.floor(n / 8) >= c.server.config.int('proto-max-bulk-len'))) {
    c.reply.error(BIT_OFFSET_ERR);
    return null;
  }
  return n;
}

/**
 * The string entry a bit write works on: undefined when the key is missing, null (WRONGTYPE
 * replied) when it holds another type.
 */
export function stringForWrite(c: ClientContext, key: string): Entry | undefined | null {
  const e = c.db.lookupWrite(key);
  if (e !== undefined && e.type !== ValueType.STRING) {
    c.reply.error(R.WRONGTYPE);
    return null;
  }
  return e;
}

/** The string value of a read (null when missing); undefined after replying WRONGTYPE. */
export function stringForRead(c: ClientContext, key: string): StringValue | null | undefined {
  const e = c.db.lookupRead(key);
  if (e === undefined) return null;
  if (e.type !== ValueType.STRING) {
    c.reply.error(R.WRONGTYPE);
    return undefined;
  }
  return stringOf(e);
}

/** Replies with Redis's size error and returns false when a value of `bytes` cannot be built. */
export function fitsValue(c: ClientContext, bytes: number): boolean {
  if (bytes <= MAX_VALUE_BYTES) return true;
  c.reply.error(R.STRING_TOO_LONG);
  return false;
}
