/**
 * Limits against bad or slow clients (Redis networking.c), and each client's share of the memory
 * account:
 *
 * - `client-query-buffer-limit`: a client whose unconsumed input (a partial command, or input
 *   piled up while it is blocked) exceeds the limit is closed, logging Redis's
 *   "Closing client that reached max query buffer length: …" line;
 * - `client-output-buffer-limit <class> <hard> <soft> <seconds>`: a client whose pending output
 *   reaches the hard limit, or stays at or over the soft limit for more than `seconds`, is closed,
 *   logging "Client … scheduled to be closed ASAP for overcoming of output buffer limits.". Classes
 *   as Redis getClientType: replica, pubsub (any subscription, RESP2 or RESP3), else normal;
 *   our master link counts as normal.
 *
 * A session's output buffer is its unflushed replies plus what Node still queues in the socket
 * (`socket.writableLength`): the session stops reading while its socket is backed up, so a normal
 * client that does not read its replies stalls itself; pub/sub deliveries keep arriving
 * regardless, which is what the pubsub class bounds.
 *
 * Sessions report their buffer sizes (after input, after each flush, on drain, on close) so that
 * used_memory includes them without walking the client list.
 */

import { describeClient } from '../handlers/client.js';
import { ClientFlag, ExtKey, getExt, setExt, type ClientContext, type ServerContext } from '../dispatch/context.js';
import type { FeatureHost, ServerFeature } from '../feature-contract.js';
import { applyOutputLimits, DEFAULT_OUTPUT_LIMITS, type OutputLimit, type OutputLimits } from '../util/output-limits.js';

/** Per-session bookkeeping the limits need. */
export class ClientBufferState {
  /** Bytes this client last reported to the memory account. */
  accounted = 0;
  /** Whether they were reported as replica buffers (not counted for maxmemory). */
  asReplica = false;
  /** When the soft output limit was first seen exceeded (ms), 0 when under it. */
  softSince = 0;
}

/** A client the limits can inspect: a session. */
export interface LimitedClient extends ClientContext {
  readonly buffers: ClientBufferState;
  /** The first `n` unconsumed input bytes. */
  queryHead(n: number): Buffer;
}

/** Redis sdscatrepr: a quoted string with C escapes for the log. */
export function reprBytes(b: Buffer): string {
  let out = '"';
  for (const ch of b) {
    if (ch === 0x5c) out += '\\\\';
    else if (ch === 0x22) out += '\\"';
    else if (ch === 0x0a) out += '\\n';
    else if (ch === 0x0d) out += '\\r';
    else if (ch === 0x09) out += '\\t';
    else if (ch === 0x07) out += '\\a';
    else if (ch === 0x08) out += '\\b';
    else if (ch >= 0x20 && ch < 0x7f) out += String.fromCharCode(ch);
    else out += `\\x${ch.toString(16).padStart(2, '0')}`;
  }
  return out + '"';
}

function limitFor(limits: OutputLimits, c: ClientContext): OutputLimit {
  if (c.flags & ClientFlag.MASTER) return limits.normal;
  if (c.flags & ClientFlag.REPLICA && !(c.flags & ClientFlag.MONITOR)) return limits.replica;
  if (c.flags & ClientFlag.PUBSUB) return limits.pubsub;
  return limits.normal;
}

export class ClientLimits {
  private queryLimit = 1024 * 1024 * 1024;
  private output: OutputLimits = DEFAULT_OUTPUT_LIMITS;
  queryDisconnections = 0;
  outputDisconnections = 0;

  constructor(private readonly server: ServerContext) {
    server.config.watch('client-query-buffer-limit', (v) => (this.queryLimit = Number(v)));
    server.config.watch('client-output-buffer-limit', (v) => (this.output = applyOutputLimits(DEFAULT_OUTPUT_LIMITS, String(v))));
  }

  /** After a session processed its input: enforce the query-buffer limit. False when closed. */
  afterInput(c: LimitedClient): boolean {
    const pending = c.queryBufferBytes;
    if (pending > this.queryLimit && !(c.flags & ClientFlag.MASTER)) {
      this.server.log.warning(
        `Closing client that reached max query buffer length: ${describeClient(c, Date.now())} (qbuf initial bytes: ${reprBytes(c.queryHead(64))})`,
      );
      this.queryDisconnections++;
      c.close(false);
      return false;
    }
    this.account(c);
    return true;
  }

  /**
   * Before a session writes its pending replies: enforce the output-buffer limit of its class on
   * everything not yet taken by the kernel (pending replies + socket queue), as Redis checks when
   * a reply is added. False when the client was closed.
   */
  checkOutput(c: LimitedClient): boolean {
    const used = c.outputBufferBytes;
    if (used === 0 || !this.overLimit(c, limitFor(this.output, c), used)) return true;
    this.server.log.warning(`Client ${describeClient(c, Date.now())} scheduled to be closed ASAP for overcoming of output buffer limits.`);
    this.outputDisconnections++;
    c.close(false);
    return false;
  }

  /** Redis checkClientOutputBufferLimits. */
  private overLimit(c: LimitedClient, limit: OutputLimit, used: number): boolean {
    if (limit.hard > 0 && used >= limit.hard) return true;
    if (limit.soft === 0 || used < limit.soft) {
      c.buffers.softSince = 0;
      return false;
    }
    const now = Date.now();
    if (c.buffers.softSince === 0) {
      c.buffers.softSince = now;
      return false;
    }
    return now - c.buffers.softSince > limit.softSeconds * 1000;
  }

  /** Reports a session's current buffer bytes to the memory account. */
  account(c: LimitedClient): void {
    const input = c.queryBufferBytes;
    const output = c.outputBufferBytes;
    const mem = this.server.keyspace.memory;
    const st = c.buffers;
    const replica = (c.flags & ClientFlag.REPLICA) !== 0;
    if (st.asReplica) mem.replicaBuffers -= st.accounted;
    else mem.clients -= st.accounted;
    st.accounted = input + output;
    st.asReplica = replica;
    if (replica) mem.replicaBuffers += st.accounted;
    else mem.clients += st.accounted;
    if (st.accounted > 0) mem.noteClientBuffers(input, output, this.server.keyspace.now);
  }

  /** Removes a closed session's share from the account. */
  release(c: LimitedClient): void {
    const mem = this.server.keyspace.memory;
    if (c.buffers.asReplica) mem.replicaBuffers -= c.buffers.accounted;
    else mem.clients -= c.buffers.accounted;
    c.buffers.accounted = 0;
  }
}

export const CLIENT_LIMITS = new ExtKey<ClientLimits>('client-limits');

/** The server's client limits (null when the feature is not installed, e.g. a bare test server). */
export function clientLimits(server: ServerContext): ClientLimits | null {
  return getExt(server.ext, CLIENT_LIMITS) ?? null;
}

export const CLIENT_LIMITS_FEATURE: ServerFeature = {
  name: 'client-limits',
  install(host: FeatureHost) {
    const limits = new ClientLimits(host);
    setExt(host.ext, CLIENT_LIMITS, limits);
    host.ext.set('clients.queryLimitDisconnections', () => limits.queryDisconnections);
    host.ext.set('clients.outputLimitDisconnections', () => limits.outputDisconnections);
    host.ext.set('clients.recentMaxInput', () => host.keyspace.memory.recentMax(Date.now()).input);
    host.ext.set('clients.recentMaxOutput', () => host.keyspace.memory.recentMax(Date.now()).output);
  },
};
