/**
 * One command on its way through the client: its arguments, how its reply is decoded, whether it
 * may be retried, its deadline, and where its outcome goes: the promise the caller holds, or, for
 * commands of an explicit pipeline, a shared sink (one promise per pipeline, none per command).
 *
 * Invariant: a command settles exactly once (reply, error, timeout or connection loss); a reply
 * arriving after a timeout is consumed and dropped, so FIFO matching stays intact.
 */

import { InvalidArgumentError } from '../../errors.js';
import type { RespValue } from '../../protocol/resp-types.js';
import type { NodeMetrics, Tracked } from './node-metrics.js';

/** A command argument: strings are sent as UTF-8, Buffers byte for byte, numbers (finite only) and bigints as `String(n)`. */
export type Arg = string | Buffer | number | bigint;

/** Receives the outcomes of many commands, each by its index (explicit pipelines). */
export interface CommandSink {
  settle(index: number, error: Error | null, value: RespValue): void;
}

export class Command implements Tracked {
  readonly args: readonly Arg[];
  /** Bulk replies decoded as Buffers instead of UTF-8 strings. */
  readonly returnBuffers: boolean;
  /** Safe to send again after its connection died (read-only or idempotent by the command table). */
  readonly retryable: boolean;
  /** Sends so far (a retry after a dropped connection increments it). */
  attempts = 0;
  /** Absolute ms after which the command times out; 0 = the connection sets it from commandTimeoutMs. */
  deadline = 0;
  /** The wait the deadline stands for (timeout messages); 0 = the connection's commandTimeoutMs. */
  timeoutMs = 0;
  /** Whether its bytes were handed to the socket (a never-written command is always safe to resend). */
  written = false;
  settled = false;
  /** The pool's counters once a pool took it (node-metrics.ts), counted when it settles. */
  metrics: NodeMetrics | null = null;
  /** performance.now() when a pool took it, for the sampled commands; else 0. */
  sentAt = 0;
  private readonly sink: CommandSink | null;
  private readonly index: number;
  private p: Promise<RespValue> | null = null;
  private resolveFn: ((v: RespValue) => void) | null = null;
  private rejectFn: ((e: Error) => void) | null = null;

  constructor(args: readonly Arg[], returnBuffers: boolean, retryable: boolean, sink: CommandSink | null = null, index = 0) {
    this.args = args;
    this.returnBuffers = returnBuffers;
    this.retryable = retryable;
    this.sink = sink;
    this.index = index;
    if (sink === null) {
      this.p = new Promise<RespValue>((resolve, reject) => {
        this.resolveFn = resolve;
        this.rejectFn = reject;
      });
    }
  }

  /** The outcome, for commands without a sink. */
  get promise(): Promise<RespValue> {
    return this.p ?? Promise.reject(new InvalidArgumentError('a pipelined command reports to its sink, not a promise'));
  }

  /** The command name as given (for error messages). */
  get name(): string {
    const a = this.args[0];
    return typeof a === 'string' ? a : String(a);
  }

  resolve(v: RespValue): void {
    if (this.settled) return;
    this.settled = true;
    if (this.metrics !== null) this.metrics.settled(this, null);
    if (this.sink !== null) this.sink.settle(this.index, null, v);
    else this.resolveFn!(v);
  }

  reject(e: Error): void {
    if (this.settled) return;
    this.settled = true;
    if (this.metrics !== null) this.metrics.settled(this, e);
    if (this.sink !== null) this.sink.settle(this.index, e, null);
    else this.rejectFn!(e);
  }
}
