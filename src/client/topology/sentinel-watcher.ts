/**
 * The Sentinel topology source: finds each shard's master through Sentinel and follows failovers.
 *
 * - Resolution (Sentinel client spec): the Sentinels are tried in order, each with the short
 *   connect timeout; the first that knows the master moves to the front of the list. The address
 *   it gives is verified with ROLE; a node that still says `slave` is asked again after a pause
 *   (bounded), since a Sentinel may answer with the promoted replica just before it finishes.
 * - Following: up to two Sentinels are subscribed to `+switch-master` (the same event from both is
 *   de-duplicated); an event re-resolves that master, so the address acted on is always one a
 *   Sentinel currently gives and ROLE confirms. Pub/sub only speeds things up: a periodic re-check
 *   of every master (`recheckMs`) is the backstop for missed events.
 * - `onMaster(name, address)` is called when a master's address changes; the client swaps the
 *   shard's pools there. Shard names never change, so no key moves.
 */

import { SentinelError } from '../../errors.js';
import type { RespValue } from '../../protocol/resp-types.js';
import { Connection, type ConnectionOptions } from '../connection.js';
import { EventDeduper, parseMasterAddr, parseRole, parseSentinelEvent } from './sentinel-events.js';

export interface SentinelWatcherOptions {
  sentinels: readonly string[];
  masters: readonly string[];
  /** Connection settings for an address (timeouts, auth for data nodes). */
  connection: (address: string) => ConnectionOptions;
  /** Backstop re-check period. */
  recheckMs: number;
  /** ROLE checks before giving up on an address that still says `slave`. */
  roleRetries?: number;
}

const ROLE_RETRY_MS = 250;
const SUBSCRIBED_SENTINELS = 2;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One command on a fresh connection that is closed afterwards (discovery is rare). */
async function ask(opts: ConnectionOptions, args: readonly string[]): Promise<RespValue> {
  const conn = new Connection({ ...opts, offlineQueueMax: 4, retryOnDisconnect: false });
  conn.on('error', () => undefined);
  conn.connect();
  try {
    return await conn.send(args);
  } finally {
    void conn.close(true);
  }
}

export class SentinelWatcher {
  /** Current addresses by master name. */
  readonly addresses = new Map<string, string>();
  onMaster: ((name: string, address: string) => void) | null = null;
  private readonly sentinels: string[];
  private readonly subs: Connection[] = [];
  private readonly dedupe = new EventDeduper();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly o: SentinelWatcherOptions) {
    this.sentinels = [...o.sentinels];
  }

  /** Resolves every master (rejects with SentinelError naming the first that cannot be found). */
  async resolveAll(): Promise<Map<string, string>> {
    for (const name of this.o.masters) this.addresses.set(name, await this.resolve(name));
    return this.addresses;
  }

  /** One master's address from the first Sentinel that knows it, confirmed by ROLE. */
  async resolve(name: string): Promise<string> {
    const retries = this.o.roleRetries ?? 20;
    for (let attempt = 0; attempt <= retries; attempt++) {
      const address = await this.askSentinels(name);
      const role = await ask(this.o.connection(address), ['ROLE']).then(parseRole, () => '');
      if (role === 'master') return address;
      await sleep(ROLE_RETRY_MS);
    }
    throw new SentinelError(`master '${name}': the address Sentinel gives does not answer ROLE as master`, name);
  }

  private async askSentinels(name: string): Promise<string> {
    let reached = 0;
    for (let i = 0; i < this.sentinels.length; i++) {
      const s = this.sentinels[i]!;
      let reply: RespValue;
      try {
        reply = await ask({ ...this.o.connection(s), username: undefined, password: undefined, db: 0, protocol: 2 }, ['SENTINEL', 'get-master-addr-by-name', name]);
      } catch {
        continue;
      }
      reached++;
      const address = parseMasterAddr(reply);
      if (address === null) continue;
      if (i > 0) this.sentinels.unshift(...this.sentinels.splice(i, 1));
      return address;
    }
    throw new SentinelError(reached === 0 ? 'no Sentinel reachable' : `Sentinels don't know master '${name}'`, name);
  }

  /** Subscribes to failover events and starts the periodic re-check. */
  start(): void {
    for (const s of this.sentinels.slice(0, SUBSCRIBED_SENTINELS)) this.subscribe(s);
    this.timer = setInterval(() => void this.recheckAll(), this.o.recheckMs);
    this.timer.unref();
  }

  private subscribe(sentinel: string): void {
    const conn = new Connection({ ...this.o.connection(sentinel), username: undefined, password: undefined, db: 0, protocol: 3, commandTimeoutMs: 0 });
    conn.pubsub = true;
    conn.on('error', () => undefined);
    conn.onPush = (frame) => this.onFrame(frame);
    // Re-subscribe on every (re)connect; a dropped link may have missed events, so re-check too.
    conn.on('ready', () => {
      conn.sendUntracked(['SUBSCRIBE', '+switch-master']);
      void this.recheckAll();
    });
    conn.connect();
    this.subs.push(conn);
  }

  private onFrame(frame: RespValue[]): void {
    const kind = String(frame[0]);
    if (kind !== 'message' || frame.length < 3) return;
    const channel = String(frame[1]);
    const payload = String(frame[2]);
    if (!this.dedupe.fresh(channel, payload)) return;
    const ev = parseSentinelEvent(channel, payload);
    if (ev?.type === 'switch-master' && this.addresses.has(ev.master)) void this.recheck(ev.master);
  }

  /** Re-resolves one master and reports a changed address. Failures wait for the next event or tick. */
  async recheck(name: string): Promise<void> {
    if (this.closed) return;
    const address = await this.resolve(name).catch(() => null);
    if (address === null || this.closed || this.addresses.get(name) === address) return;
    this.addresses.set(name, address);
    this.onMaster?.(name, address);
  }

  private async recheckAll(): Promise<void> {
    await Promise.all(this.o.masters.map((m) => this.recheck(m)));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearInterval(this.timer);
    await Promise.all(this.subs.splice(0).map((c) => c.close(true)));
  }
}
