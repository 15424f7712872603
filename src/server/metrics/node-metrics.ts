/**
 * The node's Prometheus metrics, in a prom-client Registry of its own (never the global one).
 *
 * Every value is read at scrape time from the counters INFO prints — `render()` takes one
 * snapshot of the INFO sections' fields and each metric's `collect()` reads it (commandstats
 * straight from the dispatcher, hot keys from the hot-key top-K): there is no second
 * bookkeeping. The one state of its own is `ringcache_command_duration_seconds`
 * (duration-histogram.ts), a histogram of a random sample of the calls (the dispatcher's
 * `sampleDuration` hook, one call in DURATION_SAMPLE_EVERY), so its cost per command stays a
 * decrement.
 *
 * Series that only exist in some states (a replica's link, a master's replicas, databases with
 * keys) are labelled and emitted only while they exist.
 */

import { Counter, Gauge, Registry } from 'prom-client';
import type { CommandSpec } from '../../commands/spec.js';
import type { ServerContext } from '../dispatch/context.js';
import { infoFields } from '../handlers/info.js';
import { HOT_KEYS_DECAY_MS, hotKeysOf } from '../stats/hot-keys-feature.js';
import { DurationHistogram } from './duration-histogram.js';

/** The part of prom-client's Registry that takes a collector of our own (duration-histogram.ts). */
interface CollectorRegistry {
  registerMetric(metric: { get(): Promise<unknown>; reset(): void }): void;
}

/** One call in this many (on average) is timed into the duration histogram. */
export const DURATION_SAMPLE_EVERY = 64;

/** INFO sections a scrape reads. */
const SECTIONS = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'keyspace'];

type Kind = 'gauge' | 'counter';

/** [metric name, kind, INFO field, help]. A field reading `ok` counts as 1, `err` as 0. */
const FIELD_METRICS: readonly (readonly [string, Kind, string, string])[] = [
  ['ringcache_uptime_seconds', 'gauge', 'uptime_in_seconds', 'Seconds since the node started.'],
  ['ringcache_connected_clients', 'gauge', 'connected_clients', 'Client connections open, replicas included.'],
  ['ringcache_blocked_clients', 'gauge', 'blocked_clients', 'Clients waiting in a blocking command or a pause.'],
  ['ringcache_used_memory_bytes', 'gauge', 'used_memory', 'Memory used by the dataset and client buffers (INFO used_memory).'],
  ['ringcache_maxmemory_bytes', 'gauge', 'maxmemory', 'The maxmemory limit (0: none).'],
  ['ringcache_connections_received_total', 'counter', 'total_connections_received', 'Connections accepted.'],
  ['ringcache_rejected_connections_total', 'counter', 'rejected_connections', 'Connections refused (maxclients).'],
  ['ringcache_commands_processed_total', 'counter', 'total_commands_processed', 'Commands run, all commands together.'],
  ['ringcache_net_input_bytes_total', 'counter', 'total_net_input_bytes', 'Bytes read from clients.'],
  ['ringcache_net_output_bytes_total', 'counter', 'total_net_output_bytes', 'Bytes written to clients.'],
  ['ringcache_error_replies_total', 'counter', 'total_error_replies', 'Error replies sent.'],
  ['ringcache_expired_keys_total', 'counter', 'expired_keys', 'Keys deleted because their TTL passed.'],
  ['ringcache_evicted_keys_total', 'counter', 'evicted_keys', 'Keys evicted by the maxmemory policy.'],
  ['ringcache_keyspace_hits_total', 'counter', 'keyspace_hits', 'Key lookups that found the key.'],
  ['ringcache_keyspace_misses_total', 'counter', 'keyspace_misses', 'Key lookups that did not find the key.'],
  ['ringcache_pubsub_channels', 'gauge', 'pubsub_channels', 'Channels with at least one subscriber.'],
  ['ringcache_pubsub_patterns', 'gauge', 'pubsub_patterns', 'Pattern subscriptions.'],
  ['ringcache_connected_replicas', 'gauge', 'connected_slaves', 'Replicas connected to this node.'],
  ['ringcache_replication_offset_bytes', 'gauge', 'master_repl_offset', 'The replication stream offset this node has reached.'],
  ['ringcache_loading', 'gauge', 'loading', '1 while the dataset is being loaded.'],
  ['ringcache_rdb_changes_since_last_save', 'gauge', 'rdb_changes_since_last_save', 'Changes since the last snapshot.'],
  ['ringcache_rdb_last_save_timestamp_seconds', 'gauge', 'rdb_last_save_time', 'Unix time of the last successful snapshot.'],
  ['ringcache_rdb_bgsave_in_progress', 'gauge', 'rdb_bgsave_in_progress', '1 while a background save runs.'],
  ['ringcache_rdb_last_bgsave_ok', 'gauge', 'rdb_last_bgsave_status', '1 when the last background save succeeded.'],
  ['ringcache_aof_enabled', 'gauge', 'aof_enabled', '1 when the append-only file is on.'],
  ['ringcache_aof_rewrite_in_progress', 'gauge', 'aof_rewrite_in_progress', '1 while the AOF is being rewritten.'],
  ['ringcache_aof_last_rewrite_ok', 'gauge', 'aof_last_bgrewrite_status', '1 when the last AOF rewrite succeeded.'],
  ['ringcache_aof_last_write_ok', 'gauge', 'aof_last_write_status', '1 when the last AOF write succeeded.'],
  ['ringcache_cpu_user_seconds_total', 'counter', 'used_cpu_user', 'User CPU time of the node.'],
  ['ringcache_cpu_sys_seconds_total', 'counter', 'used_cpu_sys', 'System CPU time of the node.'],
];

function numeric(v: string | number | undefined): number | null {
  if (v === undefined) return null;
  if (v === 'ok') return 1;
  if (v === 'err') return 0;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** `a=1,b=x` (INFO's keyspace and slaveN values) → their fields. */
function subFields(v: string | number | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (v === undefined) return out;
  for (const part of String(v).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return out;
}

export class NodeMetrics {
  readonly registry = new Registry();
  /** The INFO fields of the scrape in progress. */
  private info = new Map<string, string | number>();
  private readonly duration: DurationHistogram;

  constructor(private readonly server: ServerContext) {
    for (const [name, kind, field, help] of FIELD_METRICS) this.fieldMetric(name, kind, field, help);
    this.commandMetrics();
    this.labelledMetrics();
    this.duration = new DurationHistogram(
      'ringcache_command_duration_seconds',
      `Command run time, from a random sample of one call in ${DURATION_SAMPLE_EVERY} (counts are sampled calls).`,
    );
    const registry: CollectorRegistry = this.registry;
    registry.registerMetric(this.duration);
  }

  /** A sampled call's duration (the dispatcher's `sampleDuration` hook). */
  observe(spec: CommandSpec, usec: number): void {
    this.duration.observe(spec, usec);
  }

  /** CONFIG RESETSTAT: the duration histogram starts again, as commandstats does. */
  resetDurations(): void {
    this.duration.reset();
  }

  /** The exposition text of every metric, read now. */
  async render(): Promise<{ contentType: string; body: string }> {
    const info = new Map<string, string | number>();
    for (const section of SECTIONS) for (const [k, v] of infoFields(this.server, section)) info.set(k, v);
    this.info = info;
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private fieldMetric(name: string, kind: Kind, field: string, help: string): void {
    const read = (): number | null => numeric(this.info.get(field));
    if (kind === 'gauge') {
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(read() ?? 0);
        },
      });
      return;
    }
    new Counter({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(Math.max(0, read() ?? 0));
      },
    });
  }

  /** Per-command counters: INFO commandstats's calls, rejected and failed calls. */
  private commandMetrics(): void {
    const server = this.server;
    const per = (name: string, help: string, pick: (s: { calls: number; rejected: number; failed: number }) => number): void => {
      new Counter({
        name,
        help,
        labelNames: ['cmd'],
        registers: [this.registry],
        collect() {
          this.reset();
          for (const [cmd, st] of server.dispatcher.commandStats()) {
            const n = pick(st);
            if (n > 0) this.inc({ cmd }, n);
          }
        },
      });
    };
    per('ringcache_commands_total', 'Calls per command (INFO commandstats calls).', (s) => s.calls);
    per('ringcache_command_rejected_total', 'Calls refused before running, per command (ACL, OOM, arity…).', (s) => s.rejected);
    per('ringcache_command_failed_total', 'Calls that replied an error, per command.', (s) => s.failed);
  }

  /** A gauge whose series are rebuilt at each scrape by `fill` (reset first: absent states vanish). */
  private gauge(name: string, help: string, labelNames: string[], fill: (g: Gauge) => void): void {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      collect() {
        this.reset();
        fill(this);
      },
    });
  }

  /** Series that exist only in some states: databases, the role, hot keys. */
  private labelledMetrics(): void {
    const perDb = (field: string) => (g: Gauge): void => {
      for (const [k, v] of this.info) {
        if (!/^db\d+$/.test(k)) continue;
        const n = numeric(subFields(v).get(field));
        if (n !== null) g.set({ db: k.slice(2) }, n);
      }
    };
    this.gauge('ringcache_keys', 'Keys per database.', ['db'], perDb('keys'));
    this.gauge('ringcache_expiring_keys', 'Keys with a TTL per database.', ['db'], perDb('expires'));
    this.gauge('ringcache_replication_role', "This node's role: 1 for the current one (master or replica).", ['role'], (g) => {
      g.set({ role: this.info.get('role') === 'slave' ? 'replica' : 'master' }, 1);
    });
    const help = `The hottest keys (sampled top-K): estimated accesses, halved every ${HOT_KEYS_DECAY_MS / 1000} s.`;
    this.gauge('ringcache_hot_key_accesses', help, ['key'], (g) => {
      for (const [key, n] of hotKeysOf(this.server)?.top() ?? []) g.set({ key }, n);
    });
    this.replicationLinks();
  }

  /** A replica's link to its master; a master's replicas (INFO replication's slaveN lines). */
  private replicationLinks(): void {
    const master = (): string => `${this.info.get('master_host')}:${this.info.get('master_port')}`;
    this.gauge('ringcache_master_link_up', 'On a replica: 1 while the link to its master is up.', ['master'], (g) => {
      const status = this.info.get('master_link_status');
      if (status !== undefined) g.set({ master: master() }, status === 'up' ? 1 : 0);
    });
    this.gauge('ringcache_master_last_io_seconds', 'On a replica: seconds since the last byte from its master.', ['master'], (g) => {
      const n = numeric(this.info.get('master_last_io_seconds_ago'));
      if (n !== null && n >= 0) g.set({ master: master() }, n);
    });
    const replicas = (fill: (g: Gauge, replica: string, f: Map<string, string>) => void) => (g: Gauge): void => {
      for (const [k, v] of this.info) {
        if (!/^slave\d+$/.test(k)) continue;
        const f = subFields(v);
        fill(g, `${f.get('ip')}:${f.get('port')}`, f);
      }
    };
    this.gauge('ringcache_replica_lag_seconds', "On a master: seconds since each replica's last acknowledgement.", ['replica'], replicas((g, replica, f) => {
      const n = numeric(f.get('lag'));
      if (n !== null) g.set({ replica }, n);
    }));
    this.gauge('ringcache_replica_lag_bytes', 'On a master: replication stream bytes each replica has not acknowledged.', ['replica'], replicas((g, replica, f) => {
      const acked = numeric(f.get('offset'));
      const offset = numeric(this.info.get('master_repl_offset'));
      if (acked !== null && offset !== null) g.set({ replica }, Math.max(0, offset - acked));
    }));
  }
}
