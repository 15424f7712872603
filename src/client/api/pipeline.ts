/**
 * Explicit pipelines: `Pipeline` sends its commands together (they may span shards; each shard's
 * share leaves in one write per connection) and answers in call order as `[error, value]` pairs,
 * like ioredis, each value decoded as the direct method decodes it and typed as a tuple. It
 * carries RingClient's typed methods (batch.ts) and `call<T>()`. Every command takes the client's
 * one route (routing/route.ts), reporting to one shared sink: one promise per pipeline.
 */

import { ReplyError } from '../../errors.js';
import type { RespValue } from '../../protocol/resp-types.js';
import { traceBatch } from '../observe/diagnostics.js';
import type { Route } from '../routing/route.js';
import type { Arg, CommandSink } from '../transport/command.js';
import { BatchBase, type BatchMethod, type Overloads, type Queued, type Signatures } from './batch.js';
import type { StreamCommands } from './methods/streams.js';

/** One command's outcome in a pipeline: `[null, value]` or `[error, null]`. */
export type PipelineResult<T = RespValue> = [Error | null, T | null];

/**
 * exec()'s answer: one PipelineResult per queued command, typed by position; a pipeline built in
 * a loop (its commands unknown to the type system) answers an array of PipelineResult<unknown>.
 */
export type PipelineResults<R extends unknown[]> = R extends [] ? PipelineResult<unknown>[] : { [I in keyof R]: PipelineResult<R[I]> };

/** RingClient's typed methods on a pipeline, overloads kept: each queues its command and appends its result type. */
export type PipelineCommands<R extends unknown[]> = {
  [K in BatchMethod]: Overloads<Signatures<StreamCommands[K]> extends infer S ? (S extends [infer A extends unknown[], infer T] ? (...args: A) => Pipeline<[...R, T]> : never) : never>;
};

/** Settles each queued command's raw reply (the typed result follows from it). */
class RawSink implements CommandSink {
  constructor(private readonly queue: readonly Queued[]) {}

  settle(index: number, error: Error | null, value: RespValue): void {
    const q = this.queue[index]!;
    if (error !== null) q.reject(error);
    else q.resolve(value);
  }
}

// Declaration merging: the generated methods (BatchBase.defineMethods below) are typed here.
export interface Pipeline<R extends unknown[] = []> extends PipelineCommands<R> {}

export class Pipeline<R extends unknown[] = []> extends BatchBase<R> {
  constructor(private readonly route: Route) {
    super();
  }

  /** Adds any command; `T` types its reply in exec()'s answer. */
  override call<T = RespValue>(name: string, ...args: Arg[]): Pipeline<[...R, T]> {
    super.call(name, ...args);
    return this as unknown as Pipeline<[...R, T]>;
  }

  /** Sends everything now; resolves with one `[error, value]` per command, in call order. */
  exec(): Promise<PipelineResults<R>> {
    const wait = this.route.ready();
    if (wait !== null) return wait.then(() => this.exec());
    return traceBatch('pipeline', this.queue.length, () => this.sendAll());
  }

  private async sendAll(): Promise<PipelineResults<R>> {
    const queue = this.queue;
    const sink = new RawSink(queue);
    for (let i = 0; i < queue.length; i++) {
      const argv = queue[i]!.argv;
      if (argv !== null) this.route.into(sink, i, argv, queue[i]!.opts);
    }
    const settled = await Promise.allSettled(queue.map((q) => q.result));
    return settled.map((s): PipelineResult<unknown> => (s.status === 'fulfilled' ? [null, s.value] : [asError(s.reason), null])) as PipelineResults<R>;
  }
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new ReplyError(String(e));
}

BatchBase.defineMethods(Pipeline.prototype);
