/**
 * The node's memory account (Redis's used_memory): a fixed startup baseline, plus the heap
 * estimate of every stored entry, plus the bytes waiting in client buffers, all kept
 * incrementally so reading it is O(1) (the maxmemory check runs before every denyoom command).
 *
 * Invariants:
 * - `dataset` = Σ entry.mem over every database; each entry's `mem` is its `entryBytes()` as of
 *   the last time the keyspace measured it (on insertion, and at signalModified after every
 *   change), so a handler that ends its change with signalModified keeps the account exact;
 * - `clients` = Σ over live sessions of the bytes they last reported (query buffer, pending
 *   replies, Node's socket write queue); replicas report into `replicaBuffers` instead;
 * - maxmemory compares `counted` (dataset + client buffers) against the limit: the startup
 *   baseline (the JS runtime itself, ~7 MB) and replica buffers are not counted, as Redis does
 *   not count replica/AOF buffers (freeMemoryGetNotCountedMemory).
 *
 * Entry estimates are calibrated to measured V8 heap growth (node --expose-gc, 100k–500k keys):
 * see ENTRY_OVERHEAD and the collections' own `bytes` getters.
 */

import { stringBytes } from '../datatypes/structures/string-bytes.js';
import { ValueType, type CollectionValue, type Entry } from './entry.js';
import { strHeapBytes, stringOf } from './string-value.js';

/**
 * Per-key bookkeeping beyond the key and value strings: the Entry object (its expiry double boxed
 * by V8; the access stamp is a small integer stored inline), its Map slot (24–56 bytes depending on
 * the table's load), its slot-table cell. Measured with node --expose-gc: 127–155 bytes over
 * 100k–500k keys with 16-, 100- and 1000-byte values; we take the middle.
 */
const ENTRY_OVERHEAD = 144;

/** Estimated heap bytes of one key: bookkeeping, key and value (MEMORY USAGE, used_memory). */
export function entryBytes(e: Entry): number {
  const value = e.type === ValueType.STRING ? strHeapBytes(stringOf(e)) : (e.value as CollectionValue).bytes;
  return ENTRY_OVERHEAD + stringBytes(e.key.length) + value;
}

/** Seconds of history for client_recent_max_*_buffer (Redis CLIENTS_PEAK_MEM_USAGE_SLOTS). */
const PEAK_SLOTS = 8;

export class UsedMemory {
  /** Heap of the empty node (runtime, code, tables), measured once at startup. */
  startup = 0;
  /** Σ entry estimates. */
  dataset = 0;
  /** Bytes in normal and pub/sub clients' buffers. */
  clients = 0;
  /** Bytes in replicas' buffers (reported, not counted for maxmemory). */
  replicaBuffers = 0;
  /** Cached EVAL scripts and function libraries (Redis's used_memory_scripts, counted as in Redis). */
  scripts = 0;
  /** Highest `used` seen by `samplePeak()`. */
  peak = 0;
  private readonly recentIn = new Float64Array(PEAK_SLOTS);
  private readonly recentOut = new Float64Array(PEAK_SLOTS);
  private readonly slotSecond = new Float64Array(PEAK_SLOTS);

  /** used_memory. */
  get used(): number {
    return this.startup + this.dataset + this.clients + this.replicaBuffers + this.scripts;
  }

  /** What maxmemory limits: data, normal/pub-sub client buffers and scripts. */
  get counted(): number {
    return this.dataset + this.clients + this.scripts;
  }

  /** Updates and returns the peak (INFO used_memory_peak). */
  samplePeak(): number {
    const u = this.used;
    if (u > this.peak) this.peak = u;
    return this.peak;
  }

  /** Records one client's current buffer sizes for client_recent_max_input/output_buffer. */
  noteClientBuffers(input: number, output: number, nowMs: number): void {
    const sec = Math.floor(nowMs / 1000);
    const i = sec % PEAK_SLOTS;
    if (this.slotSecond[i] !== sec) {
      this.slotSecond[i] = sec;
      this.recentIn[i] = 0;
      this.recentOut[i] = 0;
    }
    if (input > this.recentIn[i]!) this.recentIn[i] = input;
    if (output > this.recentOut[i]!) this.recentOut[i] = output;
  }

  /** Largest input and output buffer seen in the last PEAK_SLOTS seconds. */
  recentMax(nowMs: number): { input: number; output: number } {
    const sec = Math.floor(nowMs / 1000);
    let input = 0;
    let output = 0;
    for (let i = 0; i < PEAK_SLOTS; i++) {
      if (sec - this.slotSecond[i]! >= PEAK_SLOTS) continue;
      input = Math.max(input, this.recentIn[i]!);
      output = Math.max(output, this.recentOut[i]!);
    }
    return { input, output };
  }
}
