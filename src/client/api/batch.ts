/**
 * What pipelines and transactions share: RingClient's typed command methods, generated from the
 * one set of method layers (./methods/), so `pipeline().get(k).incr(n)` takes exactly the
 * arguments `client.get(k)` takes and exec() answers with each reply decoded exactly as the
 * direct method decodes it, typed as a tuple; plus `call<T>()` for any command.
 *
 * How, with nothing copied: a Recorder extends the same layers as RingClient, but its `send`
 * sends nothing: it records the command's argv (and options) and hands back a promise that the
 * batch settles with the raw reply after exec(). The typed method's own decoder, chained on that
 * promise, then yields the typed value. Which methods: every method of the layers (down to
 * CommandBase) that returns a promise of one command's reply — all of them but NOT_BATCHABLE
 * (commands that need several round trips or a named shard) and the *Iterator walks. The methods
 * are defined once, at module load, on the batch classes' own prototypes (`defineBatchMethods`),
 * from that list; their types come from the same layers (`MethodArgs`, `MethodResult`: see PipelineCommands, TransactionCommands).
 *
 * A method whose arguments are refused before sending (a coded InvalidArgumentError) queues
 * nothing sendable: a pipeline answers that error at its place; a transaction's exec() rejects
 * with it before anything is sent.
 */

import type { RespValue } from '../../protocol/resp-types.js';
import type { CallOptions } from '../routing/route.js';
import type { Arg } from '../transport/command.js';
import { CommandBase } from './methods/base.js';
import { StreamCommands } from './methods/streams.js';

/** Methods of the layers that are not one command each: RANDOMKEY tries shard after shard, scan() names a shard. */
const NOT_BATCHABLE = ['randomkey', 'scan'] as const;

type Layers = StreamCommands;
type PromiseMethods = { [K in keyof Layers]-?: Layers[K] extends (...args: never[]) => Promise<unknown> ? K : never }[keyof Layers];
/** The typed methods a pipeline and a transaction carry. */
export type BatchMethod = Extract<Exclude<PromiseMethods, (typeof NOT_BATCHABLE)[number]>, keyof Layers & string>;
/**
 * A typed method's call signatures as `[parameters, resolved value]` pairs, one per overload (up to
 * three: zrange with and without scores…), so a batch method keeps the direct method's overloads.
 */
export type Signatures<F> = F extends {
  (...args: infer A1): Promise<infer T1>;
  (...args: infer A2): Promise<infer T2>;
  (...args: infer A3): Promise<infer T3>;
}
  ? [A1, T1] | [A2, T2] | [A3, T3]
  : never;

/** A union of function types as their intersection: overloads. */
export type Overloads<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** One queued command: what to send, and how its outcome comes back. */
export interface Queued {
  /** null when its arguments were refused before sending (`result` rejects with why). */
  argv: readonly Arg[] | null;
  opts: CallOptions | undefined;
  /** Settle with the raw reply (or its error); `result` follows, decoded. */
  resolve: (v: RespValue) => void;
  reject: (e: Error) => void;
  /** The typed method's decoded value. */
  result: Promise<unknown>;
}

/** The layers with a `send` that only records (see the header). */
class Recorder extends StreamCommands {
  last: Queued | null = null;

  protected send(argv: readonly Arg[], opts?: CallOptions): Promise<RespValue> {
    let resolve!: (v: RespValue) => void;
    let reject!: (e: Error) => void;
    const raw = new Promise<RespValue>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.last = { argv, opts, resolve, reject, result: raw };
    return raw;
  }

  protected shardNames(): readonly string[] {
    return [];
  }

  /** A raw command (the batch's call()). */
  raw(name: string, args: Arg[]): Promise<RespValue> {
    return this.send([name, ...args]);
  }
}

/** The base of Pipeline and Transaction: the queue, call<T>(), and the generated typed methods. */
export class BatchBase<R extends unknown[] = []> {
  /** Phantom: the result types queued so far (type level only). */
  declare readonly results?: R;
  protected readonly queue: Queued[] = [];
  private readonly recorder = new Recorder();

  /** Adds any command; `T` types its raw reply in exec()'s answer (RespValue unless given). */
  call<T = RespValue>(name: string, ...args: Arg[]): BatchBase<[...R, T]> {
    this.record((rec) => rec.raw(name, args));
    return this as unknown as BatchBase<[...R, T]>;
  }

  /** Commands queued so far. */
  get length(): number {
    return this.queue.length;
  }

  /** Defines every batchable method on `proto` (a batch class's own prototype), once, at module load. */
  static defineMethods(proto: BatchBase<unknown[]>): void {
    for (const name of batchMethodNames()) {
      Object.defineProperty(proto, name, {
        configurable: true,
        writable: true,
        value(this: BatchBase<unknown[]>, ...args: unknown[]) {
          this.record((rec) => rec[name as BatchMethod](...args));
          return this;
        },
      });
    }
  }

  /** Runs one typed method on the recorder and queues what it recorded. */
  protected record(run: (rec: RecorderAccess) => Promise<unknown>): void {
    const rec = this.recorder;
    rec.last = null;
    const result = run(rec as unknown as RecorderAccess);
    const q = rec.last as Queued | null;
    if (q === null) {
      // Refused before sending: nothing to send, its result is the rejection.
      result.catch(() => undefined);
      this.queue.push({ argv: null, opts: undefined, resolve: () => undefined, reject: () => undefined, result });
      return;
    }
    result.catch(() => undefined); // observed through exec()
    this.queue.push({ ...q, result });
  }
}

/** What `record` may call on the recorder: the typed methods, and a raw command. */
type RecorderAccess = { [K in BatchMethod]: (...args: unknown[]) => Promise<unknown> } & { raw(name: string, args: Arg[]): Promise<RespValue> };

/** The batchable method names, walking the layers from the top down to CommandBase (exclusive). */
export function batchMethodNames(): string[] {
  const names = new Set<string>();
  const skip = new Set<string>(NOT_BATCHABLE);
  for (let proto: object | null = StreamCommands.prototype; proto !== null && proto !== CommandBase.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const d = Object.getOwnPropertyDescriptor(proto, name);
      if (name === 'constructor' || skip.has(name) || name.endsWith('Iterator') || typeof d?.value !== 'function') continue;
      names.add(name);
    }
  }
  return [...names];
}

