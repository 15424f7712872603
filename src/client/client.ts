/**
 * RingClient: the public face of the smart client. Application code treats a fleet of cache nodes
 * as one cache; keys are placed on a consistent-hash ring by shard NAME.
 *
 * Data path: method → router (keys → ring → shard → master or replica) → node pool → connection
 * (auto-pipelined). Multi-key commands fan out per shard and answer in argument order. Replies are
 * strings by default; `*Buffer` methods and `{ buffers: true }` return Buffers. Every error is coded.
 */

import { ClientClosedError } from '../errors.js';
import type { RespValue } from '../protocol/resp-types.js';
import type { Arg } from './command.js';
import { execute, type CallOptions } from './executor.js';
import { resolveOptions, type RingClientOptions } from './options.js';
import { Pipeline, Transaction } from './pipeline.js';
import type { NodePoolStats } from './pool.js';
import { Router } from './router.js';
import { SortedSetCommands } from './methods/zsets.js';

export interface ClientStats {
  shards: { name: string; master: NodePoolStats; replicas: NodePoolStats[] }[];
}

/**
 * The typed command methods come from the layers in ./methods/ (strings → keys → lists → hashes →
 * sets → sorted sets); this class owns routing, lifecycle, pub/sub and observability.
 */
export class RingClient extends SortedSetCommands {
  private readonly router: Router;
  private closed = false;

  constructor(options: RingClientOptions) {
    super();
    this.router = new Router(resolveOptions(options));
  }

  /** Name of the shard that owns `key`. */
  locate(key: string | Buffer): string {
    return this.router.ring.locate(key);
  }

  /** Sends any command, routed by the command table. */
  call(name: string, ...args: Arg[]): Promise<RespValue> {
    if (this.closed) return Promise.reject(new ClientClosedError());
    return execute(this.router, [name, ...args]);
  }

  /** Like call(), with per-call options (Buffers, read policy, a named shard). */
  callWith(opts: CallOptions, name: string, ...args: Arg[]): Promise<RespValue> {
    if (this.closed) return Promise.reject(new ClientClosedError());
    return execute(this.router, [name, ...args], opts);
  }

  protected send(argv: readonly Arg[], opts?: CallOptions): Promise<RespValue> {
    if (this.closed) return Promise.reject(new ClientClosedError());
    return execute(this.router, argv, opts);
  }

  protected shardNames(): readonly string[] {
    return this.router.ring.shards();
  }

  /** A batch of commands sent together, spanning shards; answers in call order. */
  pipeline(): Pipeline {
    return new Pipeline(this.router);
  }

  /** An atomic MULTI/EXEC on one shard (co-locate keys with {hash tags}). */
  multi(): Transaction {
    return new Transaction(this.router);
  }

  stats(): ClientStats {
    return {
      shards: this.router.all().map((s) => ({ name: s.name, master: s.master.stats(), replicas: s.replicas.map((r) => r.stats()) })),
    };
  }

  /** Closes every connection after in-flight commands are answered. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.router.close();
  }
}
