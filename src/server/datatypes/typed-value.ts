/**
 * Helpers every collection type shares: reading an entry as a given type (replying WRONGTYPE
 * otherwise) and parsing the MATCH/COUNT options of HSCAN/SSCAN.
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

/** MATCH/COUNT of a collection SCAN from argv[from]; replies with the error and returns null. */
export function parseScanOptions(c: ClientContext, argv: readonly string[], from: number): { pattern: string | null } | null {
  let pattern: string | null = null;
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
    } else if (o === 'match' && i + 1 < argv.length) {
      pattern = argv[++i]!;
    } else {
      c.reply.error(R.SYNTAX);
      return null;
    }
  }
  return { pattern };
}
