/**
 * V8 heap settings for a process whose memory must stay near `maxmemory`.
 *
 * Why: used_memory tracks the live heap closely (entry estimates within a few percent of measured
 * heap growth), but under a write load that keeps evicting, every evicted key becomes garbage,
 * and V8 by default lets the old generation grow to up to ~4× the live size before a full
 * collection, and grows the young generation to 2 × 16 MB. Measured with maxmemory 100mb and
 * 500 MB of SETs (bench/eviction.mjs): peak RSS 534 MB with the defaults, ~203 MB with these.
 *
 * - `--optimize-for-size`: V8 uses its conservative heap-growing factor and compacts more;
 * - `--semi-space-growth-factor=1`: the young generation stays at its initial size (scavenges
 *   are more frequent but each is small).
 * Both are read by V8 when it sizes the heap, so setting them at run time takes effect. They are
 * process-wide: the `ringcache-server` bin applies them when maxmemory is set; an application
 * embedding the server decides for itself.
 */

import v8 from 'node:v8';

const FLAGS = ['--optimize-for-size', '--semi-space-growth-factor=1'];
let applied = false;

/** Applies the heap settings once per process. */
export function tuneHeapForMaxmemory(): void {
  if (applied) return;
  applied = true;
  for (const f of FLAGS) v8.setFlagsFromString(f);
}
