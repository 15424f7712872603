/**
 * The dashboard's timeline of topology events (failovers, roles changing, nodes going down or
 * coming back, replicas joining or leaving), newest last. Bounded: only the last `limit` events are
 * kept. Every event has an increasing `seq`, so a page that has seen up to seq N asks only for the
 * rest. The same event reported by several sources (each Sentinel publishes +switch-master) within
 * `dedupeMs` is kept once.
 */

export type EventKind = 'failover' | 'role' | 'down' | 'up' | 'replica-joined' | 'replica-left' | 'link' | 'sentinel';

export interface TimelineEvent {
  seq: number;
  /** Epoch milliseconds. */
  time: number;
  kind: EventKind;
  /** The node it is about (host:port), when there is one. */
  node: string | null;
  shard: string | null;
  text: string;
}

export type NewEvent = Omit<TimelineEvent, 'seq' | 'time'>;

export class Timeline {
  private readonly events: TimelineEvent[] = [];
  private seq = 0;
  private readonly recent = new Map<string, number>();

  constructor(
    private readonly limit = 500,
    private readonly dedupeMs = 10_000,
  ) {}

  /** Records an event unless the same one was recorded within dedupeMs; returns it, or null. */
  add(e: NewEvent, now = Date.now()): TimelineEvent | null {
    const key = `${e.kind}|${e.node ?? ''}|${e.text}`;
    const seen = this.recent.get(key);
    if (seen !== undefined && now - seen < this.dedupeMs) return null;
    this.recent.set(key, now);
    if (this.recent.size > this.limit * 2) {
      for (const [k, t] of this.recent) if (now - t >= this.dedupeMs) this.recent.delete(k);
    }
    const ev: TimelineEvent = { seq: ++this.seq, time: now, ...e };
    this.events.push(ev);
    if (this.events.length > this.limit) this.events.splice(0, this.events.length - this.limit);
    return ev;
  }

  /** Events with seq > after, oldest first. */
  since(after: number): TimelineEvent[] {
    let i = this.events.length;
    while (i > 0 && this.events[i - 1]!.seq > after) i--;
    return this.events.slice(i);
  }

  get lastSeq(): number {
    return this.seq;
  }
}
