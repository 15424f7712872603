/**
 * What the dashboard learns from Sentinels (ringcache-server --sentinel or real redis-sentinel):
 * - discovery: `SENTINEL MASTERS` and `SENTINEL REPLICAS <name>`, asked of every Sentinel at once,
 *   give every shard's current master and replicas (shard name = master name);
 * - events: every Sentinel's +switch-master, ±sdown, ±odown, +failover-end … (SUBSCRIBE on a link of
 *   its own), turned into timeline events. A subscription lost with its Sentinel is made again on
 *   the next `refresh`.
 * Bounded: every question has the caller's timeout; an unreachable Sentinel is skipped.
 */

import { FleetError } from '../../errors.js';
import type { RespValue } from '../../protocol/resp-types.js';
import { pairs } from '../probe.js';
import { RespLink, parseAddress } from './resp-link.js';
import type { NewEvent } from './timeline.js';

export const SENTINEL_CHANNELS = [
  '+switch-master', '+sdown', '-sdown', '+odown', '-odown', '+try-failover', '+elected-leader',
  '+promoted-slave', '+failover-end', '-failover-abort-no-good-slave', '+slave', '+convert-to-slave', '+reboot',
];

export interface DiscoveredShard {
  name: string;
  master: string;
  replicas: string[];
}

const addrOf = (f: Map<string, string>): string => `${f.get('ip') ?? '?'}:${f.get('port') ?? '?'}`;

/** A Sentinel's pub/sub message as a timeline event (null for channels we don't show). */
export function sentinelEvent(channel: string, payload: string): NewEvent | null {
  const w = payload.split(' ');
  if (channel === '+switch-master' && w.length >= 5) {
    return { kind: 'failover', node: `${w[3]}:${w[4]}`, shard: w[0]!, text: `failover of ${w[0]}: ${w[1]}:${w[2]} → ${w[3]}:${w[4]} (Sentinel +switch-master)` };
  }
  if (!SENTINEL_CHANNELS.includes(channel)) return null;
  // "<type> <name> <ip> <port> @ <master-name> <master-ip> <master-port>"
  const at = w.indexOf('@');
  const shard = at >= 0 ? (w[at + 1] ?? null) : w[0] === 'master' ? (w[1] ?? null) : null;
  const node = w.length >= 4 ? `${w[2]}:${w[3]}` : null;
  return { kind: 'sentinel', node, shard, text: `${channel} ${payload}` };
}

export class SentinelFeed {
  private readonly ask: RespLink[];
  private readonly subs: RespLink[];
  private readonly subscribed: boolean[];
  /** Whether each Sentinel answered the last discovery. */
  private readonly answered: boolean[];

  constructor(
    sentinels: readonly string[],
    private readonly masterNames: readonly string[] | null,
    private readonly onEvent: (e: NewEvent) => void,
    auth: readonly string[] | null = null,
  ) {
    this.ask = sentinels.map((s) => new RespLink(parseAddress(s), auth));
    this.subs = sentinels.map((s) => new RespLink(parseAddress(s), auth));
    this.subscribed = sentinels.map(() => false);
    this.answered = sentinels.map(() => false);
  }

  /**
   * Re-subscribes where needed and asks every Sentinel for the shards, all at once and within
   * timeoutMs in all; the first Sentinel (in the order given) that answered wins. Null when none did.
   */
  async refresh(timeoutMs: number): Promise<DiscoveredShard[] | null> {
    const deadline = Date.now() + timeoutMs;
    const [, answers] = await Promise.all([
      Promise.all(this.subs.map((l, i) => this.ensureSubscribed(l, i, timeoutMs))),
      Promise.allSettled(this.ask.map((l) => this.discover(l, deadline))),
    ]);
    answers.forEach((a, i) => (this.answered[i] = a.status === 'fulfilled'));
    for (const a of answers) if (a.status === 'fulfilled') return a.value;
    return null;
  }

  /** Each Sentinel: up when it answered the last discovery and its subscription link is open. */
  states(): { addr: string; up: boolean }[] {
    return this.subs.map((l, i) => ({ addr: `${l.addr.host}:${l.addr.port}`, up: this.answered[i]! && this.subscribed[i]! && l.connected }));
  }

  close(): void {
    for (const l of [...this.ask, ...this.subs]) l.close();
  }

  private async ensureSubscribed(link: RespLink, i: number, timeoutMs: number): Promise<void> {
    if (this.subscribed[i] && link.connected) return;
    this.subscribed[i] = false;
    try {
      await link.subscribe(SENTINEL_CHANNELS, timeoutMs, (msg) => {
        if (msg.length === 3 && String(msg[0]) === 'message') {
          const e = sentinelEvent(String(msg[1]), String(msg[2]));
          if (e !== null) this.onEvent(e);
        }
      });
      this.subscribed[i] = true;
    } catch {
      /* again on the next refresh */
    }
  }

  private async discover(link: RespLink, deadline: number): Promise<DiscoveredShard[]> {
    const left = (): number => Math.max(1, deadline - Date.now());
    const [masters] = await link.send([['SENTINEL', 'MASTERS']], left());
    if (!Array.isArray(masters)) throw new FleetError('SENTINEL MASTERS answered no array');
    const found = masters.map(pairs).filter((m) => this.masterNames === null || this.masterNames.includes(m.get('name') ?? ''));
    if (found.length === 0) return [];
    const replies = await link.send(found.map((m) => ['SENTINEL', 'REPLICAS', m.get('name') ?? '']), left());
    return found.map((m, i) => ({
      name: m.get('name') ?? '?',
      master: addrOf(m),
      replicas: (Array.isArray(replies[i]) ? (replies[i] as RespValue[]) : []).map((r) => addrOf(pairs(r))),
    }));
  }
}
