/**
 * Helpers every collection type shares: reading an entry as a given type (replying WRONGTYPE
 * otherwise) and parsing the cursor and MATCH/COUNT options of HSCAN/SSCAN/ZSCAN.
 */

import type { ClientContext } from '../dispatch/context.js';
import { parseInteger } from '../dispatch/args.js';
import * as R from '../dispatch/replies.js';
import type { Entry, ValueType } from '../keyspace/entry.js';

/**
 * The entry's value as type T: null when the key is missing, undefined after replying WRONGTYPE.
 * The caller names the ValueType whose values are T.
 */
export function valueAs<T>(c: ClientContext, e: Entry | undefined, type: ValueType): T | null | undefined {
  if (e === undefined) return null;
  if (e.type !== type) {
    c.reply.error(R.WRONGTYPE);
    return undefined;
  }
  return e.value as T;
}

export const INVALID_CURSOR = 'ERR invalid cursor';

/** A SCAN cursor as Redis's parseScanCursorOrReply reads it (strtoul); null when invalid. */
export function parseScanCursor(text: string): number | null {
  const m = /^([+-]?)(\d*)$/.exec(text);
  if (m === null || (m[2] === '' && m[1] !== '') || (m[2]!.length > 19 && BigInt(m[2]!) > 2n ** 64n - 1n)) return null;
  if (m[2] === '') return 0;
  const v = BigInt(m[2]!);
  return Number(m[1] === '-' && v !== 0n ? 2n ** 64n - v : v);
}

export interface ScanOptions {
  /** null when absent or '*' (matches everything, as Redis skips the match then). */
  pattern: string | null;
  /** COUNT, default 10: a hint for how many elements one call returns. */
  count: number;
}

/**
 * MATCH/COUNT of HSCAN/SSCAN/ZSCAN from argv[from], read after the key lookup as Redis does;
 * replies with the error and returns null.
 */
export function parseScanOptions(c: ClientContext, argv: readonly string[], from: number): ScanOptions | null {
  let pattern: string | null = null;
  let count = 10;
  for (let i = from; i < argv.length; i++) {
    const o = argv[i]!.toLowerCase();
    if (o === 'count' && i + 1 < argv.length) {
      const n = parseInteger(argv[++i]!);
      if (n === null) {
        c.reply.error(R.NOT_INTEGER);
        return null;
      }
      if (n < 1) {
        c.reply.error(R.SYNTAX);
        return null;
      }
      count = n;
    } else if (o === 'match' && i + 1 < argv.length) {
      pattern = argv[++i]!;
    } else {
      c.reply.error(R.SYNTAX);
      return null;
    }
  }
  return { pattern: pattern === '*' ? null : pattern, count };
}

/** Redis's reply for a SCAN of a missing key: cursor 0, no elements. */
export function replyEmptyScan(c: ClientContext): void {
  c.reply.array(2);
  c.reply.bulk('0');
  c.reply.array(0);
}
