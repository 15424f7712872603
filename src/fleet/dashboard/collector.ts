/**
 * The dashboard's data side: polls every node (and asks the Sentinels) once per interval, all
 * concurrently and each within a bounded timeout, so a dead node shows as down and never delays
 * the others; keeps each node's view, the ring picture and the timeline of topology events.
 *
 * Invariants: at most one tick runs at a time (the next starts `intervalMs` after the previous one
 * started, or right after it ended when it overran); the node set only grows (a node that goes away
 * stays on the page as down); a shard's name never changes once known (ring identity); the ring
 * view is recomputed only when the set of shards changes (its `version` moves). Listeners get a
 * Snapshot after every tick.
 */

import type { RingShard } from '../../ring/index.js';
import { NodePoller, type NodeView } from './node-poller.js';
import { ringView, type RingView } from './ring-view.js';
import { SentinelFeed, type DiscoveredShard } from './sentinel-feed.js';
import type { DashboardTargets } from './targets.js';
import { Timeline, type NewEvent } from './timeline.js';
import { topologyEvents } from './topology-diff.js';

export interface CollectorOptions {
  intervalMs?: number;
  /** Per-poll bound on one node's answer (default 80% of the interval). */
  timeoutMs?: number;
  hotKeys?: number;
}

export interface Snapshot {
  time: number;
  ringVersion: number;
  nodes: NodeView[];
  /** The Sentinels followed (none without --sentinels or a fleet's), each up or not. */
  sentinels: { addr: string; up: boolean }[];
  lastSeq: number;
}

export class Collector {
  readonly timeline = new Timeline();
  private readonly pollers = new Map<string, NodePoller>();
  private readonly everUp = new Set<string>();
  private readonly shards: RingShard[];
  private readonly feed: SentinelFeed | null;
  private readonly listeners = new Set<(s: Snapshot) => void>();
  private ring: RingView;
  private version = 1;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopped = false;
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly hotKeys: number;
  private last: Snapshot;

  constructor(private readonly targets: DashboardTargets, o: CollectorOptions = {}) {
    this.intervalMs = o.intervalMs ?? 1000;
    this.timeoutMs = o.timeoutMs ?? Math.max(100, Math.floor(this.intervalMs * 0.8));
    this.hotKeys = o.hotKeys ?? 10;
    this.shards = [...targets.shards];
    this.ring = ringView(this.shards, targets.vnodes);
    for (const n of targets.nodes) this.node(n.addr, n.shard);
    this.feed = targets.sentinels.length > 0 ? new SentinelFeed(targets.sentinels, targets.masterNames, (e) => this.event(e), targets.sentinelAuth ?? null) : null;
    this.last = { time: Date.now(), ringVersion: this.version, nodes: this.views(), sentinels: this.feed?.states() ?? [], lastSeq: 0 };
  }

  /** Polls now, then every interval until stop(). */
  start(): void {
    if (this.timer !== null || this.running || this.stopped) return;
    void this.loop();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.feed?.close();
    for (const p of this.pollers.values()) p.close();
  }

  onSnapshot(fn: (s: Snapshot) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  snapshot(): Snapshot {
    return this.last;
  }

  ringView(): { version: number; ring: RingView } {
    return { version: this.version, ring: this.ring };
  }

  /** One round: Sentinels and every node at once. */
  async tick(): Promise<Snapshot> {
    const prev = new Map([...this.pollers].map(([a, p]) => [a, p.view]));
    const [found] = await Promise.all([
      this.feed === null ? Promise.resolve(null) : this.feed.refresh(this.timeoutMs),
      Promise.all([...this.pollers.values()].map((p) => p.poll(this.timeoutMs))),
    ]);
    if (found !== null) this.adopt(found);
    this.resolveShards();
    for (const [addr, p] of this.pollers) {
      const before = prev.get(addr);
      if (before !== undefined) for (const e of topologyEvents(before, p.view, this.everUp.has(addr))) this.event(e);
      if (p.view.up) this.everUp.add(addr);
    }
    this.last = { time: Date.now(), ringVersion: this.version, nodes: this.views(), sentinels: this.feed?.states() ?? [], lastSeq: this.timeline.lastSeq };
    for (const fn of this.listeners) fn(this.last);
    return this.last;
  }

  private async loop(): Promise<void> {
    if (this.stopped) return;
    this.running = true;
    const began = Date.now();
    try {
      await this.tick();
    } catch {
      // A tick settles every poll itself; should a listener throw, the next tick still comes.
    } finally {
      this.running = false;
    }
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.loop();
    }, Math.max(0, this.intervalMs - (Date.now() - began)));
  }

  private event(e: NewEvent): void {
    this.timeline.add(e);
  }

  private node(addr: string, shard: string): NodePoller {
    let p = this.pollers.get(addr);
    if (p === undefined) {
      p = new NodePoller(addr, shard, this.hotKeys, this.targets.auth ?? null);
      this.pollers.set(addr, p);
    } else if (p.view.shard === '' && shard !== '') {
      p.setShard(shard);
    }
    return p;
  }

  private addShard(name: string): void {
    if (name === '' || this.shards.some((s) => s.name === name)) return;
    this.shards.push({ name });
    this.ring = ringView(this.shards, this.targets.vnodes);
    this.version++;
  }

  /** Nodes and shards the Sentinels know of. */
  private adopt(found: readonly DiscoveredShard[]): void {
    for (const s of found) {
      this.addShard(s.name);
      this.node(s.master, s.name);
      for (const r of s.replicas) this.node(r, s.name);
    }
  }

  /**
   * Replicas a master reports join the watch list with its shard; a node without a shard takes its
   * master's, and an unnamed master is a shard named by its own address.
   */
  private resolveShards(): void {
    for (const p of [...this.pollers.values()]) {
      const v = p.view;
      if (!v.up) continue;
      if (v.role === 'master') {
        if (v.shard === '') {
          p.setShard(v.addr);
          this.addShard(v.addr);
        }
        for (const r of v.replicas) this.node(r, p.view.shard);
      }
    }
    for (const p of this.pollers.values()) {
      const v = p.view;
      if (v.shard === '' && v.role === 'replica' && v.master !== null) {
        const m = this.pollers.get(v.master);
        if (m !== undefined && m.view.shard !== '') p.setShard(m.view.shard);
      }
    }
  }

  /** Views ordered by shard, masters first, then address; replicas' lag from their master's offset. */
  private views(): NodeView[] {
    const out: NodeView[] = [];
    for (const p of this.pollers.values()) {
      let v = p.view;
      if (v.up && v.role === 'replica' && v.master !== null) {
        const m = this.pollers.get(v.master)?.view;
        if (m !== undefined && m.up && m.role === 'master') v = { ...v, lagBytes: Math.max(0, m.offset - v.offset), lagSeconds: m.replicaLag[v.addr] ?? null };
      }
      out.push(v);
    }
    const rank = (v: NodeView): number => (v.role === 'master' ? 0 : v.role === 'replica' ? 1 : 2);
    return out.sort((a, b) => (a.shard < b.shard ? -1 : a.shard > b.shard ? 1 : rank(a) - rank(b) || (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : 0)));
  }
}
