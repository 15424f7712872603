/**
 * HRANDFIELD with a count (Redis 7.0 hrandfieldWithCountCommand), following Redis's cases so the
 * deterministic ones answer identically:
 * - negative count (or 1): |count| independent picks, repeats allowed;
 * - count ≥ size: the whole hash in iteration order (insertion order while compact);
 * - compact hash: a uniform subset kept in listpack order (lpRandomPairsUnique);
 * - table hash: a uniform subset in random order.
 * Reply shape: RESP2 flat (field [value] …); RESP3 with WITHVALUES an array of [field, value] pairs.
 */

import type { ClientContext } from '../dispatch/context.js';
import type { HashDict } from './structures/hash-dict.js';
import { writeRandomPicks } from './typed-value.js';

function header(c: ClientContext, n: number, withValues: boolean): void {
  c.reply.array(withValues && c.reply.proto === 2 ? n * 2 : n);
}

function entry(c: ClientContext, h: HashDict, slot: number, withValues: boolean): void {
  if (withValues && c.reply.proto !== 2) c.reply.array(2);
  c.reply.bulk(h.fieldAt(slot)!);
  if (withValues) c.reply.bulk(h.valueAt(slot)!);
}

/** Writes `count` (≠ 0; `countText` as given) random fields of a non-empty hash. */
export function writeRandomFields(c: ClientContext, h: HashDict, count: number, countText: string, withValues: boolean): void {
  const size = h.size;
  if (count < 0 || count === 1) {
    const perPick = withValues && c.reply.proto === 2 ? 2 : 1;
    return writeRandomPicks(c, countText, perPick, () => entry(c, h, h.randomSlot(), withValues));
  }
  if (count >= size) {
    header(c, size, withValues);
    for (let s = 0, end = h.slotCount; s < end; s++) if (h.fieldAt(s) !== undefined) entry(c, h, s, withValues);
    return;
  }
  header(c, count, withValues);
  for (const s of h.compact ? orderedSample(h.slotCount, count) : randomSample(h, count)) entry(c, h, s, withValues);
}

/** Selection sampling (Knuth's algorithm S): `k` of the dense slots 0..n-1, in slot order. */
function orderedSample(n: number, k: number): number[] {
  const out: number[] = [];
  for (let s = 0; s < n && out.length < k; s++) {
    if (Math.random() * (n - s) < k - out.length) out.push(s);
  }
  return out;
}

/** `k` distinct occupied slots in random order: a partial shuffle when k is a large share, else probing. */
function randomSample(h: HashDict, k: number): number[] {
  if (k * 3 > h.size) {
    const all: number[] = [];
    for (let s = 0, end = h.slotCount; s < end; s++) if (h.fieldAt(s) !== undefined) all.push(s);
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(Math.random() * (all.length - i));
      const t = all[i]!;
      all[i] = all[j]!;
      all[j] = t;
    }
    all.length = k;
    return all;
  }
  const picked = new Set<number>();
  while (picked.size < k) picked.add(h.randomSlot());
  return [...picked];
}
