/**
 * Helpers every collection type shares: reading an entry as a given type (replying WRONGTYPE
 * otherwise), parsing the cursor and MATCH/COUNT options of HSCAN/SSCAN/ZSCAN, and the
 * repeated random picks of SRANDMEMBER/ZRANDMEMBER/HRANDFIELD with a negative count.
 */

import { ClientFlag, type ClientContext } from '../dispatch/context.js';
import { keyword, parseInt64, parseInteger } from '../dispatch/args.js';
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

export { parseScanCursor } from '../dispatch/args.js';

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
    const o = keyword(argv[i]!);
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

/**
 * SRANDMEMBER/ZRANDMEMBER/HRANDFIELD with a negative count (Redis's CASE 1): the array header
 * (|count| × perPick elements, exact past 2^53), then one `pick()` per element, written into the
 * reply as it goes. Like Redis, it stops once the client is being closed (its output limit was
 * passed), so a huge count costs what the client's output limit allows, never an allocation.
 */
export function writeRandomPicks(c: ClientContext, countText: string, perPick: 1 | 2, pick: () => void): void {
  const n = parseInt64(countText)!;
  const picks = n < 0n ? -n : n;
  c.reply.bigArray(picks * BigInt(perPick));
  for (let i = 0, end = Number(picks); i < end; i++) {
    pick();
    if (c.flags & ClientFlag.CLOSE_ASAP) return;
  }
}
