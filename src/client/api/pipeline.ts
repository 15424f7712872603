/**
 * Explicit pipelines: `Pipeline` sends its commands together (they may span shards; each shard's
 * share leaves in one write per connection) and answers in call order as `[error, value]` pairs,
 * like ioredis. Every command takes the client's one route (routing/route.ts), reporting to one
 * shared sink: one promise per pipeline, none per command on the common path.
 */

import type { RespValue } from '../../protocol/resp-types.js';
import { UnknownCommandError } from '../../errors.js';
import type { PrepareErrors } from '../routing/command-catalog.js';
import type { Route } from '../routing/route.js';
import type { Arg, CommandSink } from '../transport/command.js';
import { Batch } from './batch.js';

export type PipelineResult = [Error | null, RespValue];

/** Collects a pipeline's outcomes in call order and resolves once all are in. */
class PipelineResults implements CommandSink {
  readonly results: PipelineResult[];
  readonly promise: Promise<PipelineResult[]>;
  private remaining: number;
  private done!: (r: PipelineResult[]) => void;

  constructor(n: number) {
    this.results = new Array<PipelineResult>(n);
    this.remaining = n;
    this.promise = new Promise((resolve) => (this.done = resolve));
    if (n === 0) this.done(this.results);
  }

  settle(index: number, error: Error | null, value: RespValue): void {
    this.results[index] = [error, error === null ? value : null];
    if (--this.remaining === 0) this.done(this.results);
  }
}

export class Pipeline extends Batch<Pipeline> {
  constructor(private readonly route: Route) {
    super();
  }

  /** Sends everything now; resolves with one `[error, value]` per command, in call order. */
  exec(): Promise<PipelineResult[]> {
    const wait = this.route.ready();
    if (wait !== null) return wait.then(() => this.exec());
    const sink = new PipelineResults(this.queued.length);
    this.sendFrom(0, sink, null);
    return sink.promise;
  }

  /**
   * Sends the commands from `from` on. One the route must prepare first (a command learned from
   * the servers) stops the loop until the rest is prepared, so nothing overtakes it; `prepared`
   * holds what that preparation could not do (those commands settle with its error).
   */
  private sendFrom(from: number, sink: PipelineResults, prepared: PrepareErrors | null): void {
    const queued = this.queued;
    for (let i = from; i < queued.length; i++) {
      const argv = queued[i]!;
      const e = prepared?.get(argv);
      if (e !== undefined) sink.settle(i, e, null);
      else if (this.route.into(sink, i, argv)) continue;
      else if (prepared !== null && i === from) sink.settle(i, new UnknownCommandError(String(argv[0]), 'it could not be prepared'), null);
      else {
        const rest = queued.slice(i);
        const wait = this.route.prepare(rest) ?? Promise.resolve(new Map<readonly Arg[], Error>());
        wait.then(
          (errors) => this.sendFrom(i, sink, errors),
          (err: unknown) => {
            for (let j = i; j < queued.length; j++) sink.settle(j, err instanceof Error ? err : new UnknownCommandError(String(queued[j]![0])), null);
          },
        );
        return;
      }
    }
  }
}
