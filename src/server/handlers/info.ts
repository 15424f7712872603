/**
 * INFO, with Redis 7.0's section names, field names and order (Sentinel and client libraries parse
 * it line by line). Sections owned by later features (persistence, replication) are provided
 * through `setInfoSection`, which replaces the built-in text of that section.
 * The reply is a RESP2 bulk string or a RESP3 verbatim string, lines ending in CRLF.
 */

import os from 'node:os';
import { ExtKey, getExt, setExt, type ClientContext, type HandlerTable, type ServerContext } from '../dispatch/context.js';
import { keyword } from '../dispatch/args.js';

export type InfoSection = (server: ServerContext) => [string, string | number][];

const PROVIDERS = new ExtKey<Map<string, InfoSection>>('info.providers');

/** Lets a feature supply (or replace) one INFO section. */
export function setInfoSection(server: ServerContext, name: string, fn: InfoSection): void {
  let m = getExt(server.ext, PROVIDERS);
  if (m === undefined) {
    m = new Map();
    setExt(server.ext, PROVIDERS, m);
  }
  m.set(name, fn);
}

/** Counts other features report (blocked clients, pub/sub…), read through ext by key name. */
function extNumber(server: ServerContext, key: string): number {
  const v = server.ext.get(key);
  return typeof v === 'function' ? Number((v as () => number)()) : typeof v === 'number' ? v : 0;
}

function human(bytes: number): string {
  if (bytes < 1024) return `${bytes}B`;
  const units = ['K', 'M', 'G', 'T'];
  let v = bytes;
  let i = -1;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(2)}${units[i]}`;
}

const opsSamples: number[] = [];
let lastSample = { at: Date.now(), commands: 0 };

/** Instantaneous ops/sec from samples taken at most every 100 ms (Redis trackInstantaneousMetric). */
function opsPerSec(server: ServerContext): number {
  const now = Date.now();
  if (now - lastSample.at >= 100) {
    const rate = ((server.stats.totalCommands - lastSample.commands) * 1000) / (now - lastSample.at);
    opsSamples.push(Math.max(0, rate));
    if (opsSamples.length > 16) opsSamples.shift();
    lastSample = { at: now, commands: server.stats.totalCommands };
  }
  return opsSamples.length === 0 ? 0 : Math.round(opsSamples.reduce((a, b) => a + b, 0) / opsSamples.length);
}

const BUILTIN: Record<string, InfoSection> = {
  server(s) {
    const up = Math.floor((Date.now() - s.stats.startedAt) / 1000);
    return [
      ['redis_version', s.version],
      ['redis_git_sha1', '00000000'],
      ['redis_git_dirty', 0],
      ['redis_build_id', 'ringcache'],
      ['redis_mode', 'standalone'],
      ['os', `${os.type()} ${os.release()} ${os.arch()}`],
      ['arch_bits', 64],
      ['monotonic_clock', 'POSIX clock_gettime'],
      ['multiplexing_api', 'epoll'],
      ['atomicvar_api', 'c11-builtin'],
      ['gcc_version', '0.0.0'],
      ['process_id', process.pid],
      ['process_supervised', 'no'],
      ['run_id', s.runId],
      ['tcp_port', s.port],
      ['server_time_usec', Date.now() * 1000],
      ['uptime_in_seconds', up],
      ['uptime_in_days', Math.floor(up / 86400)],
      ['hz', s.config.int('hz')],
      ['configured_hz', s.config.int('hz')],
      ['lru_clock', Math.floor(Date.now() / 1000) & 0xffffff],
      ['executable', process.argv[1] ?? ''],
      ['config_file', s.config.file ?? ''],
      ['io_threads_active', 0],
      ['ringcache_version', '0.1.0'],
    ];
  },
  clients(s) {
    let pubsub = 0;
    for (const c of s.clients.values()) if (c.flags & 0x100) pubsub++;
    return [
      ['connected_clients', s.clients.size],
      ['cluster_connections', 0],
      ['maxclients', s.config.int('maxclients')],
      ['client_recent_max_input_buffer', extNumber(s, 'clients.recentMaxInput')],
      ['client_recent_max_output_buffer', extNumber(s, 'clients.recentMaxOutput')],
      ['blocked_clients', extNumber(s, 'blocking.count') + extNumber(s, 'pause.count')],
      ['tracking_clients', extNumber(s, 'tracking.count')],
      ['clients_in_timeout_table', extNumber(s, 'blocking.count')],
      ['pubsub_clients', pubsub],
    ];
  },
  memory(s) {
    const m = process.memoryUsage();
    const used = extNumber(s, 'memory.used') || m.heapUsed + m.external;
    const maxmemory = s.config.int('maxmemory');
    return [
      ['used_memory', used],
      ['used_memory_human', human(used)],
      ['used_memory_rss', m.rss],
      ['used_memory_rss_human', human(m.rss)],
      ['used_memory_peak', m.heapTotal],
      ['used_memory_peak_human', human(m.heapTotal)],
      ['used_memory_lua', 0],
      ['total_system_memory', os.totalmem()],
      ['total_system_memory_human', human(os.totalmem())],
      ['maxmemory', maxmemory],
      ['maxmemory_human', human(maxmemory)],
      ['maxmemory_policy', s.config.str('maxmemory-policy')],
      ['mem_fragmentation_ratio', used > 0 ? (m.rss / used).toFixed(2) : '0.00'],
      ['mem_allocator', 'v8'],
      ['lazyfree_pending_objects', 0],
    ];
  },
  persistence(s) {
    return [
      ['loading', s.loading ? 1 : 0],
      ['async_loading', 0],
      ['current_cow_peak', 0],
      ['rdb_changes_since_last_save', s.dirty],
      ['rdb_bgsave_in_progress', 0],
      ['rdb_last_save_time', Math.floor(s.stats.startedAt / 1000)],
      ['rdb_last_bgsave_status', 'ok'],
      ['aof_enabled', s.config.bool('appendonly') ? 1 : 0],
      ['aof_rewrite_in_progress', 0],
      ['aof_rewrite_scheduled', 0],
      ['aof_last_bgrewrite_status', 'ok'],
      ['aof_last_write_status', 'ok'],
    ];
  },
  stats(s) {
    const ks = s.keyspace.stats;
    return [
      ['total_connections_received', s.stats.totalConnections],
      ['total_commands_processed', s.stats.totalCommands],
      ['instantaneous_ops_per_sec', opsPerSec(s)],
      ['total_net_input_bytes', s.stats.netInputBytes],
      ['total_net_output_bytes', s.stats.netOutputBytes],
      ['rejected_connections', s.stats.rejectedConnections],
      ['sync_full', extNumber(s, 'repl.syncFull')],
      ['sync_partial_ok', extNumber(s, 'repl.syncPartialOk')],
      ['sync_partial_err', extNumber(s, 'repl.syncPartialErr')],
      ['expired_keys', ks.expiredKeys],
      ['evicted_keys', ks.evictedKeys],
      ['evicted_clients', 0],
      ['total_eviction_exceeded_time', extNumber(s, 'eviction.exceededTotal')],
      ['current_eviction_exceeded_time', extNumber(s, 'eviction.exceededCurrent')],
      ['keyspace_hits', ks.keyspaceHits],
      ['keyspace_misses', ks.keyspaceMisses],
      ['pubsub_channels', extNumber(s, 'pubsub.channels')],
      ['pubsub_patterns', extNumber(s, 'pubsub.patterns')],
      ['migrate_cached_sockets', extNumber(s, 'migrate.cachedSockets')],
      ['tracking_total_keys', extNumber(s, 'tracking.keys')],
      ['tracking_total_items', extNumber(s, 'tracking.items')],
      ['tracking_total_prefixes', extNumber(s, 'tracking.prefixes')],
      ['total_error_replies', s.stats.totalErrorReplies],
      ['client_query_buffer_limit_disconnections', extNumber(s, 'clients.queryLimitDisconnections')],
      ['client_output_buffer_limit_disconnections', extNumber(s, 'clients.outputLimitDisconnections')],
    ];
  },
  replication(s) {
    return [
      ['role', s.role === 'master' ? 'master' : 'slave'],
      ['connected_slaves', 0],
      ['master_failover_state', 'no-failover'],
      ['master_replid', s.runId],
      ['master_replid2', '0000000000000000000000000000000000000000'],
      ['master_repl_offset', 0],
      ['second_repl_offset', -1],
      ['repl_backlog_active', 0],
      ['repl_backlog_size', s.config.int('repl-backlog-size')],
      ['repl_backlog_first_byte_offset', 0],
      ['repl_backlog_histlen', 0],
    ];
  },
  cpu() {
    const u = process.cpuUsage();
    return [
      ['used_cpu_sys', (u.system / 1e6).toFixed(6)],
      ['used_cpu_user', (u.user / 1e6).toFixed(6)],
      ['used_cpu_sys_children', '0.000000'],
      ['used_cpu_user_children', '0.000000'],
    ];
  },
  modules() {
    return [];
  },
  errorstats(s) {
    return [...s.stats.errors].map(([prefix, n]) => [`errorstat_${prefix}`, `count=${n}`]);
  },
  cluster() {
    return [['cluster_enabled', 0]];
  },
  keyspace(s) {
    const out: [string, string][] = [];
    for (const db of s.keyspace.dbs) {
      if (db.size > 0) out.push([`db${db.id}`, `keys=${db.size},expires=${db.expiresCount},avg_ttl=0`]);
    }
    return out;
  },
  commandstats(s) {
    const out: [string, string][] = [];
    for (const [name, st] of s.dispatcher.commandStats()) {
      if (st.calls === 0 && st.rejected === 0 && st.failed === 0) continue;
      const usec = Math.floor(st.usec);
      const per = st.calls > 0 ? (usec / st.calls).toFixed(2) : '0.00';
      out.push([`cmdstat_${name}`, `calls=${st.calls},usec=${usec},usec_per_call=${per},rejected_calls=${st.rejected},failed_calls=${st.failed}`]);
    }
    return out;
  },
};

const DEFAULT = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'modules', 'errorstats', 'cluster', 'keyspace'];
const ALL = [...DEFAULT.filter((s) => s !== 'modules' && s !== 'keyspace'), 'commandstats', 'errorstats', 'keyspace'];

const TITLES: Record<string, string> = { cpu: 'CPU', commandstats: 'Commandstats', errorstats: 'Errorstats' };

function sectionsFor(args: readonly string[]): string[] {
  if (args.length === 0) return DEFAULT;
  const out: string[] = [];
  for (const a of args) {
    const s = keyword(a);
    const list = s === 'default' ? DEFAULT : s === 'all' ? ALL : s === 'everything' ? [...ALL, 'modules'] : [s];
    for (const x of list) if (!out.includes(x)) out.push(x);
  }
  return out;
}

/** One INFO section's fields as INFO prints them (the metrics endpoint reads the same counters). */
export function infoFields(server: ServerContext, section: string): [string, string | number][] {
  const fn = getExt(server.ext, PROVIDERS)?.get(section) ?? BUILTIN[section];
  return fn === undefined ? [] : fn(server);
}

/** The INFO text for the given section arguments. */
export function infoText(server: ServerContext, args: readonly string[]): string {
  const providers = getExt(server.ext, PROVIDERS);
  const parts: string[] = [];
  for (const name of sectionsFor(args)) {
    const fn = providers?.get(name) ?? BUILTIN[name];
    if (fn === undefined) continue;
    const title = TITLES[name] ?? name.charAt(0).toUpperCase() + name.slice(1);
    const lines = fn(server).map(([k, v]) => `${k}:${v}`);
    parts.push(`# ${title}\r\n${lines.map((l) => `${l}\r\n`).join('')}`);
  }
  return parts.join('\r\n');
}

export const INFO_HANDLERS: HandlerTable = {
  info(c: ClientContext, argv: string[]) {
    c.reply.verbatim(infoText(c.server, argv.slice(1)));
  },
};
