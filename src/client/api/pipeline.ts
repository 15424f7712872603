/**
 * Explicit pipelines: `Pipeline` sends its commands together (they may span shards; each shard's
 * share leaves in one write per connection) and answers in call order as `[error, value]` pairs,
 * like ioredis. Every command takes the client's one route (routing/route.ts), reporting to one
 * shared sink: one promise per pipeline, none per command on the common path.
 */

import type { RespValue } from '../../protocol/resp-types.js';
import type { Route } from '../routing/route.js';
import type { CommandSink } from '../transport/command.js';
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
    const queued = this.queued;
    const sink = new PipelineResults(queued.length);
    for (let i = 0; i < queued.length; i++) this.route.into(sink, i, queued[i]!);
    return sink.promise;
  }
}
