/**
 * Hot keys under any maxmemory policy: one key access in `hotkeys-sampling` (on average, random
 * gaps; `Keyspace.touchAccess` counts them down) goes into the fixed-memory top-K of hot-keys.ts,
 * whose counts the cron halves every DECAY_MS; RINGCACHE.HOTKEYS [COUNT n] reads it, and so does
 * the metrics endpoint (`hotKeysOf`).
 *
 * - An access is a key read through the read chokepoint (GET, MGET, HGET…), found or missing (a
 *   hot missing key is a miss storm worth seeing), or an existing key looked up for a write (INCR,
 *   SET over a key, …): what `Db.lookupRead` and `touchAccess` count down. Keys of every database
 *   are counted by name together. Creating a key, EXISTS/TYPE/TTL, SCAN and OBJECT are not
 *   accesses.
 * - Counts are estimated accesses: a sampled access weighs `hotkeys-sampling`, so a key read r
 *   times a second settles around r·10 … r·20 between halvings.
 * - Cost: while off (`hotkeys-sampling 0`) an access costs one decrement and a comparison; on, a
 *   sampled access costs one hash of the key, eight counter reads/writes and a heap update.
 */

import { ExtKey, getExt, setExt, type HandlerTable, type ServerContext } from '../dispatch/context.js';
import type { FeatureHost, ServerFeature } from '../feature-contract.js';
import { isWord, positiveOrReply } from '../dispatch/args.js';
import * as R from '../dispatch/replies.js';
import { nextSampleGap } from '../util/sampling.js';
import { HotKeys } from './hot-keys.js';

/** Counts halve this often. */
export const HOT_KEYS_DECAY_MS = 10_000;
/** Keys in the top-K. */
export const HOT_KEYS_K = 32;
/** RINGCACHE.HOTKEYS without COUNT. */
const DEFAULT_COUNT = 10;

const KEY = new ExtKey<HotKeys>('stats.hotKeys');

/** The node's hot-key top-K (undefined when the feature is not installed). */
export function hotKeysOf(server: ServerContext): HotKeys | undefined {
  return getExt(server.ext, KEY);
}

export const HOT_KEYS_FEATURE: ServerFeature = {
  name: 'hot-keys',
  install(host: FeatureHost) {
    const hot = new HotKeys({ k: HOT_KEYS_K, width: 1024 });
    setExt(host.ext, KEY, hot);
    const ks = host.keyspace;
    let every = 0;
    ks.onSampledAccess = (key) => {
      ks.accessSampleLeft = nextSampleGap(every);
      // Loading replays the AOF through the dispatcher: those are not accesses.
      if (every > 0 && !host.loading) hot.record(key, every);
    };
    host.config.watch('hotkeys-sampling', (v) => {
      // Counts kept at another weight would not compare with the new ones.
      if (Number(v) !== every) hot.clear();
      every = Number(v);
      ks.accessSampleLeft = nextSampleGap(every);
    });
    let lastDecay = Date.now();
    host.onCron(() => {
      const now = Date.now();
      if (now - lastDecay < HOT_KEYS_DECAY_MS) return;
      lastDecay = now;
      hot.decay();
    });
  },
};

export const HOT_KEYS_HANDLERS: HandlerTable = {
  'ringcache.hotkeys'(c, argv) {
    let count = DEFAULT_COUNT;
    for (let i = 1; i < argv.length; i++) {
      if (!isWord(argv[i]!, 'count') || i + 1 >= argv.length) return c.reply.error(R.SYNTAX);
      const n = positiveOrReply(c, argv[++i]!);
      if (n === null) return;
      count = n;
    }
    const top = hotKeysOf(c.server)?.top(count) ?? [];
    c.reply.array(top.length);
    for (const [key, n] of top) {
      c.reply.array(2);
      c.reply.bulk(key);
      c.reply.integer(n);
    }
  },
};
