/**
 * The root of RingClient's typed-method layers. Each command family is one small class in this
 * folder (strings → keys → lists → hashes → sets → sorted sets → bitmaps/HLL → geo → sort and
 * dump → streams → scripting), each extending the previous, so RingClient gets every method
 * without one giant file and without prototype patching. A method is a one-liner: build argv (inline or with a builder from
 * ../args/), send, decode.
 *
 * The layers know nothing about routing: RingClient implements `send` (the one route of every
 * command, routing/route.ts) and `shardNames`.
 */

import { EventEmitter } from 'node:events';
import { InvalidArgumentError, RingcacheError } from '../../../errors.js';
import type { RespValue } from '../../../protocol/resp-types.js';
import type { RingClientEvents } from '../../observe/events.js';
import type { Arg } from '../../transport/command.js';
import type { Decoder, ScanPage } from '../decode.js';
import type { CallOptions } from '../../routing/route.js';

const BUFFERS: CallOptions = Object.freeze({ buffers: true });

/** An argument builder's failure as a coded error (a TypeError from a value of the wrong shape included). */
function coded(err: unknown): RingcacheError {
  return err instanceof RingcacheError ? err : new InvalidArgumentError(`invalid arguments: ${err instanceof Error ? err.message : String(err)}`);
}

export abstract class CommandBase extends EventEmitter<RingClientEvents> {
  /** Sends one command through the route. */
  protected abstract send(argv: readonly Arg[], opts?: CallOptions): Promise<RespValue>;

  /** Every shard's name, in ring order (SCAN and RANDOMKEY walk them). */
  protected abstract shardNames(): readonly string[];

  /**
   * Like `send`, but may answer synchronously (a local-cache hit): the value itself instead of a
   * promise. Defaults to `send`.
   */
  protected sendNow(argv: readonly Arg[]): RespValue | Promise<RespValue> {
    return this.send(argv);
  }

  protected run<T>(argv: readonly Arg[], decode: Decoder<T>): Promise<T> {
    const r = this.sendNow(argv);
    if (r instanceof Promise) return r.then(decode);
    try {
      return Promise.resolve(decode(r));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Like run() (runBuffers() with `buffers`), for argv built by code that may throw (option
   * builders, spreading an array argument): every failure, a TypeError from a value of the wrong
   * shape included, becomes this call's rejection, never a synchronous throw.
   */
  protected build<T>(make: () => readonly Arg[], decode: Decoder<T>, buffers = false, opts?: CallOptions): Promise<T> {
    let argv: readonly Arg[];
    try {
      argv = make();
    } catch (err) {
      return Promise.reject(coded(err));
    }
    if (opts !== undefined) return this.send(argv, buffers ? { ...opts, buffers } : opts).then(decode);
    return buffers ? this.runBuffers(argv, decode) : this.run(argv, decode);
  }

  /** Like run(), with bulk replies decoded as Buffers (the `*Buffer` methods). */
  protected runBuffers<T>(argv: readonly Arg[], decode: Decoder<T>): Promise<T> {
    return this.send(argv, BUFFERS).then(decode);
  }

  /**
   * Walks a SCAN-family cursor to the end, yielding items one by one. The server guarantees the
   * walk ends (cursor back to '0'); items may repeat, as with SCAN itself.
   */
  protected async *cursorWalk<T>(argvAt: (cursor: string) => Arg[], page: Decoder<ScanPage<T>>, shard?: string): AsyncGenerator<T, void, undefined> {
    const opts: CallOptions | undefined = shard === undefined ? undefined : { shard };
    let cursor = '0';
    do {
      let argv: readonly Arg[];
      try {
        argv = argvAt(cursor);
      } catch (err) {
        throw coded(err);
      }
      const p = page(await this.send(argv, opts));
      for (const item of p.items) yield item;
      cursor = p.cursor;
    } while (cursor !== '0');
  }
}
