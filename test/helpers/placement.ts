/**
 * Keys placed where a test needs them: a key the client puts on a given shard, or two keys on
 * different shards. Bounded searches; a HarnessError when the ring offers none.
 */

import type { RingClient } from '../../src/client/ring-client.js';
import { HarnessError } from './harness-error.js';

/** A key (or channel) `<prefix><n>` owned by `shard`. */
export function keyOn(client: RingClient, shard: string, prefix: string): string {
  for (let i = 0; i < 10_000; i++) if (client.locate(`${prefix}${i}`) === shard) return `${prefix}${i}`;
  throw new HarnessError(`no key found for ${shard}`);
}

/** `<prefix>0` and the first `<prefix><n>` the client places on another shard. */
export function keysApart(client: RingClient, prefix: string): [string, string] {
  const first = `${prefix}0`;
  for (let i = 1; i < 1000; i++) if (client.locate(`${prefix}${i}`) !== client.locate(first)) return [first, `${prefix}${i}`];
  throw new HarnessError('no two shards found');
}
