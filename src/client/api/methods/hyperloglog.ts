/**
 * Typed HyperLogLog commands (PFADD, PFCOUNT, PFMERGE). An HLL is a string value in Redis's
 * representation (ringcache-server writes the same bytes), so `getBuffer`/`set` move one.
 *
 * PFCOUNT of several keys and PFMERGE run on the one shard owning every key; keys on different
 * shards are refused before sending (CrossShardError): a union cannot be summed from per-shard
 * counts, so give keys counted or merged together one hash tag (`{visits}:2024-01-01`).
 */

import type { Arg } from '../../transport/command.js';
import * as D from '../decode.js';
import { BitmapCommands } from './bitmaps.js';

export abstract class HyperLogLogCommands extends BitmapCommands {
  /** PFADD: adds elements to a HyperLogLog (creating it); true when its estimate may have changed. */
  pfadd(key: Arg, elements: readonly Arg[] = []): Promise<boolean> {
    return this.build(() => ['PFADD', key, ...elements], D.bool);
  }

  /** PFCOUNT: estimated distinct elements of one HyperLogLog, or of the union of several (one shard). */
  pfcount(keys: Arg | readonly Arg[]): Promise<number> {
    return this.build(() => ['PFCOUNT', ...(Array.isArray(keys) ? keys : [keys as Arg])], D.int);
  }

  /** PFMERGE: merges the sources (and `dest` itself) into `dest` (all on one shard). */
  pfmerge(dest: Arg, sources: readonly Arg[]): Promise<'OK'> {
    return this.build(() => ['PFMERGE', dest, ...sources], D.status);
  }
}
