/**
 * The Sentinel topology source: finds each shard's master and replicas through Sentinel, follows
 * failovers and replica health, and reports shard states (`onState`); it never touches pools.
 *
 * - Queries (Sentinel client spec, PROTOCOL-NOTES §2.3): the Sentinels are tried in order, each
 *   bounded by `timeoutMs`; the first that gives a usable answer moves to the front. The master
 *   address is verified with ROLE; a node that still says `slave` is asked again after a pause
 *   (bounded), since a Sentinel may name the promoted replica just before it finishes.
 * - Replicas: `SENTINEL replicas <name>`; entries flagged s_down/o_down/disconnected or whose
 *   master-link-status is not ok are reported unhealthy (parseReplicas; the link status is left
 *   out when the client checks links itself, see `linkStatus`). `SENTINEL sentinels
 *   <name>` appends Sentinels not configured to the end of the list.
 * - Following: up to two Sentinels are subscribed to WATCHED_EVENTS (the same event from both is
 *   de-duplicated). `+switch-master`, `+failover-end`, `+convert-to-slave`, `+slave-reconf-done`
 *   re-resolve the master; `+sdown` of a replica marks it unhealthy at once (held against other
 *   Sentinels' answers until `-sdown`, see SDOWN_HOLD_MS), and replica events (`-sdown`,
 *   `+slave`, `+role-change`) re-query the replicas; `±odown` of a master sets
 *   `failingOver`. Pub/sub only speeds things up: every master is re-resolved every `recheckMs`,
 *   and whenever a subscription reconnects (it may have missed events).
 * - Ordering: each master resolution and each replica query takes a ticket when it starts; a
 *   result is applied only if no later-started one was applied first, so a slow answer (a ROLE
 *   check that timed out on a stopped node) never overwrites a newer one.
 */

import { SentinelError } from '../../errors.js';
import type { RespValue } from '../../protocol/resp-types.js';
import { Connection, type ConnectionOptions } from '../transport/connection.js';
import {
  EventDeduper,
  parseMasterAddr,
  parseReplicas,
  parseRole,
  parseSentinelEvent,
  parseSentinels,
  WATCHED_EVENTS,
  type InstanceRecord,
  type SentinelEvent,
} from './sentinel-events.js';
import type { ShardTopology } from './snapshot.js';

export interface SentinelWatcherOptions {
  sentinels: readonly string[];
  masters: readonly string[];
  /** Connection settings for a data node's address (ROLE checks). */
  connection: (address: string) => ConnectionOptions;
  /** Connection settings for a Sentinel's address (its own credentials and TLS). */
  sentinelConnection: (address: string) => ConnectionOptions;
  /** Connect + reply bound of each Sentinel query and ROLE check. */
  timeoutMs: number;
  /** Backstop re-check period. */
  recheckMs: number;
  /** ROLE checks before giving up on an address that still says `slave`. */
  roleRetries?: number;
  /**
   * Whether a replica's `master-link-status` counts (default true). False when the client checks
   * replica links itself (ReplicaLinkChecker): Sentinel's copy lags by up to 10 s either way.
   */
  linkStatus?: boolean;
  /** A master's state as Sentinel reports it (master ROLE-confirmed, replicas with health). */
  onState: (state: ShardTopology) => void;
  /** A query or re-check failed (the watcher retries by itself). */
  onError?: (err: Error) => void;
}

const ROLE_RETRY_MS = 250;
/**
 * How long a replica `+sdown` took out stays out against Sentinel answers that call it healthy:
 * down is subjective, and the Sentinel asked may not have noticed yet (Sentinels ping every
 * second, so they agree within about that). `-sdown` brings it back at once.
 */
const SDOWN_HOLD_MS = 5000;
const SUBSCRIBED_SENTINELS = 2;
/** Pause between discovery attempts: doubles from the first, capped at the last. */
const DISCOVERY_RETRY_MS = [100, 1000] as const;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());

function asError(err: unknown): Error {
  return err instanceof Error ? err : new SentinelError(String(err));
}

/** One command on a fresh connection, closed afterwards (discovery is rare); fails fast when refused. */
async function ask(opts: ConnectionOptions, args: readonly string[], timeoutMs: number): Promise<RespValue> {
  const conn = new Connection({ ...opts, connectTimeoutMs: timeoutMs, commandTimeoutMs: timeoutMs, offlineQueueMax: 4, retryOnDisconnect: false });
  conn.on('error', () => undefined);
  const dropped = new Promise<never>((_, reject) => conn.once('disconnect', (err: Error) => reject(err)));
  dropped.catch(() => undefined);
  conn.connect();
  try {
    return await Promise.race([conn.send(args), dropped]);
  } finally {
    void conn.close(true);
  }
}

interface Tickets {
  master: number;
  masterApplied: number;
  replicas: number;
  replicasApplied: number;
}

export class SentinelWatcher {
  private readonly sentinels: string[];
  private readonly states = new Map<string, ShardTopology>();
  private readonly tickets = new Map<string, Tickets>();
  private readonly odown = new Set<string>();
  /** `master address` of replicas a `+sdown` event took out → when. */
  private readonly sdown = new Map<string, number>();
  /** Masters with a coalescable re-check running, and those asked for again meanwhile. */
  private readonly running = new Set<string>();
  private readonly again = new Set<string>();
  private readonly subs: Connection[] = [];
  private readonly dedupe = new EventDeduper();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private discovered = false;

  constructor(private readonly o: SentinelWatcherOptions) {
    this.sentinels = [...o.sentinels];
    for (const m of o.masters) this.tickets.set(m, { master: 0, masterApplied: 0, replicas: 0, replicasApplied: 0 });
  }

  /** The Sentinel list as it is tried now (answering ones first, learned ones appended). */
  get sentinelList(): readonly string[] {
    return this.sentinels;
  }

  /**
   * Subscribes to events, then resolves every master, retrying until all are known (or close());
   * resolves then, and the periodic re-check starts.
   */
  async start(): Promise<void> {
    for (const s of this.sentinels.slice(0, SUBSCRIBED_SENTINELS)) this.subscribe(s);
    let pause: number = DISCOVERY_RETRY_MS[0];
    while (!this.closed) {
      const missing = this.o.masters.filter((m) => !this.states.has(m));
      if (missing.length === 0) break;
      const failures = (await Promise.all(missing.map((m) => this.refresh(m).then(() => null, asError)))).filter((e) => e !== null);
      if (failures.length === 0) break;
      for (const e of failures) this.o.onError?.(e);
      await sleep(pause);
      pause = Math.min(pause * 2, DISCOVERY_RETRY_MS[1]);
    }
    if (this.closed) throw new SentinelError('the client closed before discovery finished');
    this.discovered = true;
    this.timer = setInterval(() => this.recheckAll(), this.o.recheckMs);
    this.timer.unref();
  }

  /**
   * Re-resolves one master soon. Requests while one runs are coalesced into one more run, unless
   * `urgent` (a Sentinel event): that starts at once (tickets keep the newest answer).
   */
  recheck(name: string, urgent = false): void {
    if (this.closed || !this.tickets.has(name)) return;
    if (!urgent && this.running.has(name)) {
      this.again.add(name);
      return;
    }
    const coalesced = !urgent;
    if (coalesced) this.running.add(name);
    void this.refresh(name)
      .catch((err: unknown) => this.o.onError?.(asError(err)))
      .finally(() => {
        if (!coalesced) return;
        this.running.delete(name);
        if (this.again.delete(name)) this.recheck(name);
      });
  }

  recheckAll(): void {
    for (const m of this.o.masters) this.recheck(m);
  }

  /** Master (ROLE-confirmed) and replicas from the Sentinels; reports the result. */
  private async refresh(name: string): Promise<void> {
    const t = this.tickets.get(name)!;
    const mt = ++t.master;
    const master = await this.resolveMaster(name);
    const rt = ++t.replicas;
    const replicas = await this.queryReplicas(name).catch((err: unknown) => {
      this.o.onError?.(asError(err));
      return null;
    });
    this.report(name, { ticket: mt, address: master }, replicas === null ? null : { ticket: rt, list: replicas });
    void this.learnSentinels(name);
  }

  private async refreshReplicas(name: string): Promise<void> {
    const t = this.tickets.get(name)!;
    const rt = ++t.replicas;
    const list = await this.queryReplicas(name);
    this.report(name, null, { ticket: rt, list });
  }

  /** Folds fresh answers into the master's state (older-ticket answers are dropped) and reports it. */
  private report(name: string, master: { ticket: number; address: string } | null, replicas: { ticket: number; list: readonly InstanceRecord[] } | null): void {
    if (this.closed) return;
    const t = this.tickets.get(name)!;
    const prev = this.states.get(name);
    let address = prev?.master;
    if (master !== null && master.ticket > t.masterApplied) {
      address = master.address;
      t.masterApplied = master.ticket;
    }
    let list = prev?.replicas ?? [];
    if (replicas !== null && replicas.ticket > t.replicasApplied) {
      list = this.holdSdown(name, replicas.list);
      t.replicasApplied = replicas.ticket;
    }
    if (address === undefined) return;
    this.publish({ name, master: address, replicas: list.filter((r) => r.address !== address), masterDown: false, failingOver: this.odown.has(name) });
  }

  /** A fresh replica list with the replicas `+sdown` took out kept out (see SDOWN_HOLD_MS). */
  private holdSdown(name: string, list: readonly InstanceRecord[]): InstanceRecord[] {
    const now = Date.now();
    return list.map((r) => {
      const key = `${name} ${r.address}`;
      const at = this.sdown.get(key);
      if (at === undefined) return r;
      if (r.healthy && now - at >= SDOWN_HOLD_MS) {
        this.sdown.delete(key);
        return r;
      }
      return { ...r, healthy: false };
    });
  }

  private publish(state: ShardTopology): void {
    this.states.set(state.name, state);
    this.o.onState(state);
  }

  /** One master's address from the first Sentinel that knows it, confirmed by ROLE. */
  async resolveMaster(name: string): Promise<string> {
    const retries = this.o.roleRetries ?? 20;
    let last = '';
    for (let attempt = 0; attempt <= retries && !this.closed; attempt++) {
      if (attempt > 0) await sleep(ROLE_RETRY_MS);
      const address = await this.query(name, ['SENTINEL', 'get-master-addr-by-name', name], parseMasterAddr);
      const role = await ask(this.o.connection(address), ['ROLE'], this.o.timeoutMs).then(parseRole, () => '');
      if (role === 'master') return address;
      last = `${address} answers ROLE '${role || 'nothing'}'`;
    }
    throw new SentinelError(`master '${name}': the address Sentinel gives is not a master (${last})`, name);
  }

  private queryReplicas(name: string): Promise<InstanceRecord[]> {
    return this.query(name, ['SENTINEL', 'replicas', name], (r) => (Array.isArray(r) ? parseReplicas(r, this.o.linkStatus ?? true) : null));
  }

  private async learnSentinels(name: string): Promise<void> {
    const found = await this.query(name, ['SENTINEL', 'sentinels', name], (r) => (Array.isArray(r) ? parseSentinels(r) : null)).catch(() => []);
    for (const a of found) this.addSentinel(a);
  }

  private addSentinel(address: string): void {
    if (this.closed || this.sentinels.includes(address)) return;
    this.sentinels.push(address);
    if (this.subs.length < SUBSCRIBED_SENTINELS) this.subscribe(address);
  }

  private sentinelOptions(address: string): ConnectionOptions {
    return this.o.sentinelConnection(address);
  }

  /** Asks the Sentinels in order until one gives a usable answer (non-null parse); it moves to the front. */
  private async query<T>(name: string, args: readonly string[], parse: (r: RespValue) => T | null): Promise<T> {
    let reached = 0;
    for (const s of [...this.sentinels]) {
      if (this.closed) break;
      let reply: RespValue;
      try {
        reply = await ask(this.sentinelOptions(s), args, this.o.timeoutMs);
      } catch {
        continue;
      }
      reached++;
      const v = parse(reply);
      if (v === null) continue;
      const i = this.sentinels.indexOf(s);
      if (i > 0) this.sentinels.unshift(...this.sentinels.splice(i, 1));
      return v;
    }
    throw new SentinelError(reached === 0 ? 'no Sentinel reachable' : `no Sentinel answered ${args[1]} for master '${name}'`, name);
  }

  private subscribe(sentinel: string): void {
    const conn = new Connection({ ...this.sentinelOptions(sentinel), protocol: 3, commandTimeoutMs: 0 });
    conn.pubsub = true;
    conn.on('error', () => undefined);
    conn.onPush = (frame) => this.onFrame(frame);
    let connectedBefore = false;
    // Subscribe on every (re)connect; a dropped link may have missed events, so re-check too.
    conn.on('ready', () => {
      conn.sendUntracked(['SUBSCRIBE', ...WATCHED_EVENTS]);
      if (connectedBefore || this.discovered) this.recheckAll();
      connectedBefore = true;
    });
    conn.connect();
    this.subs.push(conn);
  }

  private onFrame(frame: RespValue[]): void {
    if (String(frame[0]) !== 'message' || frame.length < 3) return;
    const channel = String(frame[1]);
    const payload = String(frame[2]);
    if (!this.dedupe.fresh(channel, payload)) return;
    const ev = parseSentinelEvent(channel, payload);
    if (ev === null || !this.tickets.has(ev.master)) return;
    if (ev.type === 'instance' && ev.role === 'sentinel') {
      if (ev.event === 'sentinel') this.addSentinel(ev.address);
      return;
    }
    this.onEvent(ev);
  }

  private onEvent(ev: SentinelEvent): void {
    const name = ev.master;
    if (ev.type === 'switch-master') {
      this.odown.delete(name);
      this.recheck(name, true);
      return;
    }
    if (ev.role === 'master') {
      if (ev.event === 'odown') {
        if (ev.sign === '+') this.odown.add(name);
        else this.odown.delete(name);
        this.republish(name);
      } else if (ev.event === 'failover-end') {
        this.odown.delete(name);
        this.recheck(name, true);
      }
      return;
    }
    if (ev.role !== 'slave') return;
    if (ev.event === 'convert-to-slave' || ev.event === 'slave-reconf-done') {
      this.recheck(name, true);
      return;
    }
    if (ev.event === 'sdown' && ev.sign === '+') {
      this.markReplicaDown(name, ev.address);
      return;
    }
    if (ev.event === 'sdown') this.sdown.delete(`${name} ${ev.address}`);
    if (ev.event === 'sdown' || ev.event === 'slave' || ev.event === 'role-change') {
      void this.refreshReplicas(name).catch((err: unknown) => this.o.onError?.(asError(err)));
    }
  }

  /** Reports the master's state again with the current `failingOver`. */
  private republish(name: string): void {
    const s = this.states.get(name);
    if (s !== undefined && s.failingOver !== this.odown.has(name)) this.publish({ ...s, failingOver: this.odown.has(name) });
  }

  /** `+sdown` of a replica: out of the read set now, and held out (SDOWN_HOLD_MS). */
  private markReplicaDown(name: string, address: string): void {
    this.sdown.set(`${name} ${address}`, Date.now());
    if (this.sdown.size > 1024) this.sdown.delete(this.sdown.keys().next().value!);
    const s = this.states.get(name);
    if (s === undefined || !s.replicas.some((r) => r.address === address && r.healthy)) return;
    this.publish({ ...s, replicas: s.replicas.map((r) => (r.address === address ? { ...r, healthy: false } : r)) });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await Promise.all(this.subs.splice(0).map((c) => c.close(true)));
  }
}
