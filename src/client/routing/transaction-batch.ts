/**
 * The connection step of a transaction: the route hands each queued command here instead of to a
 * pool, and `exec` sends MULTI, the commands and EXEC back to back on one shared connection of the
 * shard's master (NodePool.sendBatch: nothing can interleave).
 *
 * A queued command's own reply is QUEUED; its outcome is its element of EXEC's reply. A step that
 * observes outcomes (diagnostics, the local cache's held writes) asks `add` for a promise of it:
 * it resolves with the element (rejects when the element is an error reply), resolves null when
 * WATCH aborted the transaction, and rejects with EXEC's error when EXEC failed. Nobody asking,
 * nothing is allocated for the outcome.
 *
 * Inside `client.watch()` the batch goes out on the connection leased for the WATCH (`conn`)
 * instead: an exclusive connection, so MULTI … EXEC follow WATCH there and nothing interleaves.
 *
 * `PinnedTarget` is what the route's connection step sees of a command pinned to one shard: a
 * transaction's batch queues it; a watch() scope (watch-lease.ts) sends it now on its lease.
 */

import { resp2Nesting } from '../../protocol/reply-nesting.js';
import type { RespValue } from '../../protocol/resp-types.js';
import { ReplyError } from '../../errors.js';
import { Command, type Arg } from '../transport/command.js';
import type { Connection } from '../transport/connection.js';
import type { Shard } from './shard.js';

const MULTI: readonly Arg[] = Object.freeze(['MULTI']);
const EXEC: readonly Arg[] = Object.freeze(['EXEC']);

interface Outcome {
  readonly index: number;
  resolve(v: RespValue): void;
  reject(e: unknown): void;
}

/** A command pinned to one shard: queued into a transaction, or sent now on a watch() lease. */
export interface PinnedTarget {
  readonly shard: Shard;
  /** Takes the command; with `observed`, returns a promise of its outcome. */
  add(argv: readonly Arg[], observed: boolean, buffers: boolean): Promise<RespValue> | null;
}

export class TransactionBatch implements PinnedTarget {
  private readonly cmds: Command[] = [new Command(MULTI, false, false)];
  private readonly outcomes: Outcome[] = [];

  constructor(
    /** The one shard every key of the transaction lives on. */
    readonly shard: Shard,
    /** The watch() lease to send on, or null for a shared connection of the shard's master. */
    private readonly conn: Connection | null = null,
  ) {}

  /** Queues a command; with `observed`, returns a promise of its outcome (see the header). */
  add(argv: readonly Arg[], observed: boolean): Promise<RespValue> | null {
    const index = this.cmds.length - 1;
    this.cmds.push(new Command(argv, false, false));
    if (!observed) return null;
    return new Promise<RespValue>((resolve, reject) => this.outcomes.push({ index, resolve, reject }));
  }

  /**
   * Sends the transaction. Resolves with the replies of the queued commands (ReplyError values for
   * commands that failed at run time), or null when WATCH aborted it.
   */
  async exec(): Promise<RespValue[] | null> {
    const cmds = this.cmds;
    cmds.push(new Command(EXEC, false, false));
    if (this.conn === null) this.shard.master.sendBatch(cmds);
    else for (const c of cmds) this.conn.enqueue(c); // one tick: one write, in order
    const replies = await Promise.allSettled(cmds.map((c) => c.promise));
    const last = replies[replies.length - 1]!;
    if (last.status === 'rejected') {
      this.fail(last.reason);
      throw last.reason;
    }
    const exec = last.value;
    if (exec === null) {
      for (const o of this.outcomes) o.resolve(null);
      return null;
    }
    const out = Array.isArray(exec) ? exec : [exec];
    // EXEC's elements are the queued commands' replies: nested as RESP2 nests them (reply-nesting.ts).
    for (let i = 0; i < out.length; i++) out[i] = resp2Nesting(cmds[i + 1]?.args ?? EXEC, out[i]!);
    for (const o of this.outcomes) {
      const v = out[o.index] ?? null;
      if (v instanceof ReplyError) o.reject(v);
      else o.resolve(v);
    }
    return out;
  }

  /** The transaction will not be sent: every observed outcome rejects with `err`. */
  fail(err: unknown): void {
    for (const o of this.outcomes) o.reject(err);
  }
}
