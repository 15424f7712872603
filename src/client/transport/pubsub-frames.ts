/**
 * Subscriber mode: on a RESP2 subscriber connection, subscription frames (message, pmessage,
 * subscribe confirmations…) arrive as ordinary replies but answer no command; this tells them apart.
 */

import type { RespValue } from '../../protocol/resp-types.js';

const PUBSUB_KINDS = new Set(['message', 'pmessage', 'smessage', 'subscribe', 'unsubscribe', 'psubscribe', 'punsubscribe', 'ssubscribe', 'sunsubscribe']);

/** Whether `v` is a pub/sub frame: an array of 3 or more whose first element names a pub/sub kind. */
export function isPubSubFrame(v: RespValue): v is RespValue[] {
  if (!Array.isArray(v) || v.length < 3) return false;
  const kind = v[0];
  return (typeof kind === 'string' || Buffer.isBuffer(kind)) && PUBSUB_KINDS.has(kind.toString());
}
