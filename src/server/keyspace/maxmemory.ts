/**
 * The maxmemory feature: measures the startup baseline of the memory account, installs the
 * dispatcher's OOM guard (evict, or refuse denyoom commands with -OOM), and answers INFO memory
 * with Redis 7.0's field names from the incremental account (used-memory.ts) plus the process's
 * real figures (RSS, V8 heap) so the estimate can be checked against reality.
 */

import os from 'node:os';
import { setInfoSection } from '../handlers/info.js';
import type { ServerContext } from '../dispatch/context.js';
import type { FeatureHost, ServerFeature } from '../feature-contract.js';
import { Evictor } from './eviction.js';

/** Redis's bytesToHuman. */
export function humanBytes(n: number): string {
  if (n < 1024) return `${n}B`;
  const units = ['K', 'M', 'G', 'T', 'P'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(2)}${units[i]}`;
}

function ratio(a: number, b: number): string {
  return b > 0 ? (a / b).toFixed(2) : '0.00';
}

function percent(a: number, b: number): string {
  return b > 0 ? `${((a * 100) / b).toFixed(2)}%` : '0.00%';
}

/** INFO memory's Lua and functions fields, reported by the scripting feature when installed. */
function scriptingMemory(s: ServerContext): [string, string | number][] {
  const fn = s.ext.get('scripting.memory');
  return typeof fn === 'function' ? (fn as () => [string, string | number][])() : [['used_memory_lua', 0], ['used_memory_scripts', 0]];
}

function memorySection(s: ServerContext): [string, string | number][] {
  const mem = s.keyspace.memory;
  const used = mem.used;
  const peak = mem.samplePeak();
  const v8 = process.memoryUsage();
  const rss = v8.rss;
  const overhead = mem.startup + mem.clients + mem.replicaBuffers;
  const maxmemory = s.config.int('maxmemory');
  const total = os.totalmem();
  return [
    ['used_memory', used],
    ['used_memory_human', humanBytes(used)],
    ['used_memory_rss', rss],
    ['used_memory_rss_human', humanBytes(rss)],
    ['used_memory_peak', peak],
    ['used_memory_peak_human', humanBytes(peak)],
    ['used_memory_peak_perc', percent(used, peak)],
    ['used_memory_overhead', overhead],
    ['used_memory_startup', mem.startup],
    ['used_memory_dataset', mem.dataset],
    ['used_memory_dataset_perc', percent(mem.dataset, used - mem.startup)],
    ['allocator_allocated', v8.heapUsed + v8.external],
    ['allocator_active', v8.heapTotal + v8.external],
    ['allocator_resident', rss],
    ['total_system_memory', total],
    ['total_system_memory_human', humanBytes(total)],
    ...scriptingMemory(s),
    ['maxmemory', maxmemory],
    ['maxmemory_human', humanBytes(maxmemory)],
    ['maxmemory_policy', s.config.str('maxmemory-policy')],
    ['allocator_frag_ratio', ratio(v8.heapTotal, v8.heapUsed)],
    ['rss_overhead_ratio', ratio(rss, v8.heapTotal + v8.external)],
    ['mem_fragmentation_ratio', ratio(rss, used)],
    ['mem_fragmentation_bytes', rss - used],
    ['mem_not_counted_for_evict', mem.startup + mem.replicaBuffers],
    ['mem_replication_backlog', 0],
    ['mem_clients_slaves', mem.replicaBuffers],
    ['mem_clients_normal', mem.clients],
    ['mem_aof_buffer', 0],
    ['mem_allocator', 'v8'],
    ['active_defrag_running', 0],
    ['lazyfree_pending_objects', 0],
    ['lazyfreed_objects', 0],
    // Not in Redis: the JS heap as V8 reports it, to compare with the estimate above.
    ['v8_heap_used', v8.heapUsed],
    ['v8_heap_total', v8.heapTotal],
    ['v8_external', v8.external],
  ];
}

export const MAXMEMORY_FEATURE: ServerFeature = {
  name: 'maxmemory',
  install(host: FeatureHost) {
    const m = process.memoryUsage();
    host.keyspace.memory.startup = m.heapUsed + m.external;
    const evictor = new Evictor(host);
    host.dispatcher.hooks.overMaxmemory = () => evictor.overLimit();
    host.onShutdown(() => evictor.stop());
    host.onCron(() => void host.keyspace.memory.samplePeak());
    host.ext.set('eviction.exceededTotal', () => evictor.exceededTime(Date.now())[0]);
    host.ext.set('eviction.exceededCurrent', () => evictor.exceededTime(Date.now())[1]);
    setInfoSection(host, 'memory', memorySection);
  },
};
