/**
 * One command on its way through the client: its arguments, how its reply is decoded, whether it
 * may be retried, its deadline, and the promise the caller holds.
 *
 * Invariant: a command settles exactly once (reply, error, timeout or connection loss); a reply
 * arriving after a timeout is consumed and dropped, so FIFO matching stays intact.
 */

import type { RespValue } from '../protocol/resp-types.js';

export type Arg = string | Buffer | number;

export class Command {
  readonly args: readonly Arg[];
  /** Bulk replies decoded as Buffers instead of UTF-8 strings. */
  readonly returnBuffers: boolean;
  /** Safe to send again after its connection died (read-only or idempotent by the command table). */
  readonly retryable: boolean;
  readonly promise: Promise<RespValue>;
  /** Sends so far (a retry after a dropped connection increments it). */
  attempts = 0;
  /** Absolute ms after which the command times out; 0 = the connection sets it from commandTimeoutMs. */
  deadline = 0;
  /** The wait the deadline stands for (timeout messages); 0 = the connection's commandTimeoutMs. */
  timeoutMs = 0;
  /** Whether its bytes were handed to the socket (a never-written command is always safe to resend). */
  written = false;
  settled = false;
  private resolveFn!: (v: RespValue) => void;
  private rejectFn!: (e: Error) => void;

  constructor(args: readonly Arg[], returnBuffers: boolean, retryable: boolean) {
    this.args = args;
    this.returnBuffers = returnBuffers;
    this.retryable = retryable;
    this.promise = new Promise<RespValue>((resolve, reject) => {
      this.resolveFn = resolve;
      this.rejectFn = reject;
    });
  }

  /** The command name as given (for error messages). */
  get name(): string {
    const a = this.args[0];
    return typeof a === 'string' ? a : String(a);
  }

  resolve(v: RespValue): void {
    if (this.settled) return;
    this.settled = true;
    this.resolveFn(v);
  }

  reject(e: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.rejectFn(e);
  }
}
