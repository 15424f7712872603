/**
 * Replica link checker: every `periodMs`, each replica of the topology is asked `ROLE` (through
 * the replica's own pool, so no extra sockets), and a replica whose link to its master is not up
 * is taken out of the read set until it is again. This works the same with static `shards` and
 * with Sentinel (whose own view of `master-link-status` refreshes only every 10 s).
 *
 * - Healthy means ROLE answers `slave` with link state `connected` (PROTOCOL-NOTES §4.6: the
 *   state is `connect`/`connecting`/`sync` while the link is down or resyncing, the same moment
 *   INFO says `master_link_status:down`). A node that answers `master` (promoted behind the
 *   client's back) or does not answer within `timeoutMs` is unhealthy too.
 * - It never touches pools or the shard map: it is the store's overlay (replicas it saw down are
 *   marked unhealthy) and asks the store to re-derive the snapshot when its view changes.
 * - One probe per replica at a time; probes are bounded by `timeoutMs`.
 * - A replica answering `master` is reported to `onPromoted` (Sentinel mode re-resolves the shard:
 *   the promoted replica says so before every Sentinel has announced the switch).
 */

import type { RespValue } from '../../protocol/resp-types.js';
import type { ShardTopology } from './snapshot.js';

export interface ReplicaLinkOptions {
  periodMs: number;
  timeoutMs: number;
  /** Addresses of the replicas to check now. */
  targets: () => Iterable<string>;
  /** Sends ROLE to a replica (bounded by timeoutMs). */
  probe: (address: string, timeoutMs: number) => Promise<RespValue>;
  /** The set of replicas seen down changed. */
  changed: () => void;
}

function word(v: RespValue | undefined): string {
  if (typeof v === 'string') return v;
  return Buffer.isBuffer(v) ? v.toString() : '';
}

/** True when a ROLE reply says: a replica whose replication link is up. */
export function replicaLinkUp(role: RespValue): boolean {
  return Array.isArray(role) && word(role[0]) === 'slave' && word(role[3]) === 'connected';
}

export class ReplicaLinkChecker {
  private readonly down = new Set<string>();
  private readonly probing = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  /** A replica answered ROLE `master`: it was promoted (a failover the topology may not know yet). */
  onPromoted: ((address: string) => void) | null = null;

  constructor(private readonly o: ReplicaLinkOptions) {}

  start(): void {
    if (this.timer !== null || this.closed) return;
    this.timer = setInterval(() => this.round(), this.o.periodMs);
    this.timer.unref();
    this.round();
  }

  /** `s` with the replicas whose link was seen down marked unhealthy (the same object when none is). */
  overlay = (s: ShardTopology): ShardTopology => {
    if (this.down.size === 0 || !s.replicas.some((r) => r.healthy && this.down.has(r.address))) return s;
    return { ...s, replicas: s.replicas.map((r) => (r.healthy && this.down.has(r.address) ? { ...r, healthy: false } : r)) };
  };

  /** Whether the last probe of `address` found its link down. */
  isDown(address: string): boolean {
    return this.down.has(address);
  }

  /** One probe of every target (each skipped while its previous probe is outstanding). */
  round(): void {
    if (this.closed) return;
    const targets = new Set(this.o.targets());
    // Forget replicas that left the topology, so one coming back starts presumed healthy.
    let changed = false;
    for (const a of this.down) if (!targets.has(a)) changed = this.down.delete(a) || changed;
    if (changed) this.o.changed();
    for (const a of targets) if (!this.probing.has(a)) void this.check(a);
  }

  private async check(address: string): Promise<void> {
    this.probing.add(address);
    const role = await this.o.probe(address, this.o.timeoutMs).catch(() => null);
    this.probing.delete(address);
    if (this.closed) return;
    const up = replicaLinkUp(role);
    if (Array.isArray(role) && String(role[0]) === 'master') this.onPromoted?.(address);
    const wasDown = this.down.has(address);
    if (up && wasDown) this.down.delete(address);
    else if (!up && !wasDown) this.down.add(address);
    else return;
    this.o.changed();
  }

  close(): void {
    this.closed = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
