/**
 * Polls one node: INFO and `RINGCACHE.HOTKEYS COUNT n` pipelined on its persistent link, within a
 * bounded timeout, into the NodeView the page shows. ops/s is the delta of
 * total_commands_processed between two polls over the time between them, minus the poller's own
 * commands (INFO, and HOTKEYS where the node has it); on the first poll, INFO's
 * instantaneous_ops_per_sec. A node that fails to answer is `up: false` with the reason, keeps its
 * last known role and shard, and is asked again on the next poll (a new connection).
 */

import { ReplyError } from '../../errors.js';
import { RespLink, parseAddress } from './resp-link.js';
import { parseHotKeys, parseInfo, type NodeSample } from './node-sample.js';

export interface NodeView {
  /** host:port: the node's identity on the page (data-node). */
  addr: string;
  shard: string;
  up: boolean;
  role: 'master' | 'replica' | 'unknown';
  ops: number;
  memory: number;
  keys: number;
  keysPerDb: Record<string, number>;
  /** keyspace hits / (hits + misses) since the node started; null before any lookup. */
  hitRate: number | null;
  clients: number;
  /**
   * Replica: its master (host:port), link status, bytes behind the master and seconds since its
   * last acknowledgement as the master reports it (INFO `lag=`) — both when the master is polled too.
   */
  master: string | null;
  link: string | null;
  lagBytes: number | null;
  lagSeconds: number | null;
  /** Master: host:port of each replica it reports. */
  replicas: string[];
  /** Master: each replica's `lag=` (seconds since its last ack), by host:port. */
  replicaLag: Record<string, number>;
  /** Hottest keys first; null when the node has no RINGCACHE.HOTKEYS (real Redis). */
  hotKeys: [string, number][] | null;
  /** Master: its replication offset (for the replicas' lag). */
  offset: number;
  error: string | null;
}

export class NodePoller {
  private readonly link: RespLink;
  private last: { sample: NodeSample; at: number; sent: number } | null = null;
  private hasHotKeys = true;
  view: NodeView;

  constructor(
    readonly addr: string,
    shard: string,
    private readonly hotKeyCount = 10,
    auth: readonly string[] | null = null,
  ) {
    this.link = new RespLink(parseAddress(addr), auth);
    this.view = {
      addr, shard, up: false, role: 'unknown', ops: 0, memory: 0, keys: 0, keysPerDb: {}, hitRate: null, clients: 0,
      master: null, link: null, lagBytes: null, lagSeconds: null, replicas: [], replicaLag: {}, hotKeys: null, offset: 0, error: 'not polled yet',
    };
  }

  setShard(name: string): void {
    this.view = { ...this.view, shard: name };
  }

  /** One poll; never rejects. Resolves with the new view (also kept in `view`). */
  async poll(timeoutMs: number, now: () => number = Date.now): Promise<NodeView> {
    const commands: string[][] = [['INFO']];
    const askHot = this.hasHotKeys;
    if (askHot) commands.push(['RINGCACHE.HOTKEYS', 'COUNT', String(this.hotKeyCount)]);
    try {
      const [infoReply, hotReply] = await this.link.send(commands, timeoutMs);
      if (typeof infoReply !== 'string') throw infoReply instanceof ReplyError ? infoReply : new ReplyError('ERR INFO answered no text');
      const sample = parseInfo(infoReply);
      const at = now();
      const hot = askHot ? parseHotKeys(hotReply) : null;
      // Real Redis answers an unknown-command error: stop asking (one reconnect asks again).
      if (askHot && hotReply instanceof ReplyError) this.hasHotKeys = false;
      this.view = this.toView(sample, at, hot);
      this.last = { sample, at, sent: commands.length };
    } catch (err) {
      this.last = null;
      this.hasHotKeys = true;
      this.view = { ...this.view, up: false, ops: 0, error: err instanceof Error ? err.message : String(err) };
    }
    return this.view;
  }

  close(): void {
    this.link.close();
  }

  private toView(s: NodeSample, at: number, hot: [string, number][] | null): NodeView {
    let ops = s.instantaneousOps;
    const prev = this.last;
    if (prev !== null && at > prev.at && s.totalCommands >= prev.sample.totalCommands) {
      const own = prev.sent;
      ops = Math.max(0, (s.totalCommands - prev.sample.totalCommands - own) / ((at - prev.at) / 1000));
    }
    const lookups = s.hits + s.misses;
    return {
      addr: this.addr,
      shard: this.view.shard,
      up: true,
      role: s.role,
      ops: Math.round(ops),
      memory: s.usedMemory,
      keys: s.keys,
      keysPerDb: s.keysPerDb,
      hitRate: lookups > 0 ? s.hits / lookups : null,
      clients: s.clients,
      master: s.masterAddr,
      link: s.linkStatus,
      lagBytes: null,
      lagSeconds: null,
      replicas: s.replicas.map((r) => r.addr),
      replicaLag: Object.fromEntries(s.replicas.map((r) => [r.addr, r.lag])),
      hotKeys: hot,
      offset: s.replOffset,
      error: null,
    };
  }
}
