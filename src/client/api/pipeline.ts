/**
 * Explicit pipelines: `Pipeline` sends its commands together (they may span shards; each shard's
 * share leaves in one write per connection) and answers in call order as `[error, value]` pairs,
 * like ioredis, each value decoded as the direct method decodes it and typed as a tuple. It
 * carries RingClient's typed methods (batch.ts) and `call<T>()`. Every command takes the client's
 * one route (routing/route.ts), reporting to one shared sink: one promise per pipeline.
 */

import { ReplyError, UnknownCommandError } from '../../errors.js';
import type { RespValue } from '../../protocol/resp-types.js';
import { traceBatch } from '../observe/diagnostics.js';
import type { PrepareErrors } from '../routing/command-catalog.js';
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
  [K in keyof Pick<StreamCommands, BatchMethod>]: Overloads<Signatures<StreamCommands[K]> extends infer S ? (S extends [infer A extends unknown[], infer T] ? (...args: A) => Pipeline<[...R, T]> : never) : never>;
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

/**
 * `client.pipeline()`: queue commands with RingClient's typed methods (each returns the pipeline),
 * then exec() sends them together, across shards, and answers `[error, value]` per command.
 */
export class Pipeline<R extends unknown[] = []> extends BatchBase<R> {
  /** @internal Made by `client.pipeline()`. */
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
    this.sendFrom(0, new RawSink(queue), null);
    const settled = await Promise.allSettled(queue.map((q) => q.result));
    return settled.map((s): PipelineResult<unknown> => (s.status === 'fulfilled' ? [null, s.value] : [asError(s.reason), null])) as PipelineResults<R>;
  }

  /**
   * Sends the commands from `from` on. One the route must prepare first (a command learned from
   * the servers) stops the loop until the rest is prepared, so nothing overtakes it; `prepared`
   * holds what that preparation could not do (those commands settle with its error).
   */
  private sendFrom(from: number, sink: RawSink, prepared: PrepareErrors | null): void {
    const queue = this.queue;
    for (let i = from; i < queue.length; i++) {
      const argv = queue[i]!.argv;
      if (argv === null) continue; // refused before sending: its result already rejects
      const e = prepared?.get(argv);
      if (e !== undefined) sink.settle(i, e, null);
      else if (this.route.into(sink, i, argv, queue[i]!.opts)) continue;
      else if (prepared !== null && i === from) sink.settle(i, new UnknownCommandError(String(argv[0]), 'it could not be prepared'), null);
      else {
        const rest = sendable(queue, i);
        const wait = this.route.prepare(rest) ?? Promise.resolve(new Map<readonly Arg[], Error>());
        wait.then(
          (errors) => this.sendFrom(i, sink, errors),
          (err: unknown) => {
            for (let j = i; j < queue.length; j++) {
              const a = queue[j]!.argv;
              if (a !== null) sink.settle(j, err instanceof Error ? err : new UnknownCommandError(String(a[0])), null);
            }
          },
        );
        return;
      }
    }
  }
}

/** The argvs to send from `from` on (those refused before sending left out). */
function sendable(queue: readonly Queued[], from: number): (readonly Arg[])[] {
  const out: (readonly Arg[])[] = [];
  for (let j = from; j < queue.length; j++) {
    const a = queue[j]!.argv;
    if (a !== null) out.push(a);
  }
  return out;
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new ReplyError(String(e));
}

BatchBase.defineMethods(Pipeline.prototype);
