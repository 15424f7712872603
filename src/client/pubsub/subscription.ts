/**
 * One application-level subscription: a set of channels, patterns or shard channels, delivered
 * both as events and through an async iterator.
 *
 * Events: 'message' (channel, message), 'pmessage' (pattern, channel, message), 'smessage'
 * (channel, message), the message a string or, in Buffer mode (`buffers: true`), a Buffer; 'error' (PubSubOverflowError; emitted only when someone listens), 'close'.
 *
 * The iterator buffers messages from the moment it is created (`for await` creates it) until they
 * are consumed, at most `maxBuffered` of them. When the buffer is full, `overflow` decides:
 * 'error' (default) closes the subscription and the iterator throws a PubSubOverflowError after
 * the buffered messages; 'drop-oldest' / 'drop-newest' keep going and count `dropped`.
 * Leaving a `for await` loop (break, return, throw) closes the subscription.
 */

import { EventEmitter } from 'node:events';
import { InvalidArgumentError, PubSubOverflowError } from '../../errors.js';
import type { RespValue } from '../../protocol/resp-types.js';
import { text } from '../api/decode.js';
import { pubsubDropChannel, type PubSubDropMessage } from '../observe/diagnostics.js';
import { Fifo } from '../transport/fifo.js';

/** What a subscription holds: channels (SUBSCRIBE), patterns (PSUBSCRIBE) or shard channels (SSUBSCRIBE). */
export type SubscriptionKind = 'channel' | 'pattern' | 'shard';

/** A message; its payload is a string, or a Buffer in Buffer mode (`buffers: true`). */
export type PubSubMessage<M extends string | Buffer = string> =
  | {
      /** A message on a subscribed channel. */
      type: 'message';
      /** The channel it was published to. */
      channel: string;
      /** Its payload. */
      message: M;
    }
  | {
      /** A message on a channel matching a subscribed pattern. */
      type: 'pmessage';
      /** The pattern it matched. */
      pattern: string;
      /** The channel it was published to. */
      channel: string;
      /** Its payload. */
      message: M;
    }
  | {
      /** A message on a subscribed shard channel (SPUBLISH). */
      type: 'smessage';
      /** The shard channel it was published to. */
      channel: string;
      /** Its payload. */
      message: M;
    };

/** Options of `client.subscribe()`, `psubscribe()` and `ssubscribe()`. */
export interface SubscriptionOptions {
  /** Buffer mode: message payloads as Buffers, byte for byte (binary messages). Default false (UTF-8 strings). */
  buffers?: boolean;
  /** Messages held for a slow async-iterator consumer. Default 1000. */
  maxBuffered?: number;
  /** When that buffer is full: 'error' (default: close with PubSubOverflowError), 'drop-oldest', 'drop-newest'. */
  overflow?: 'error' | 'drop-oldest' | 'drop-newest';
}

/** What the hub and the shard subscribers hold of a Subscription, whatever its payload type. */
export interface SubscriptionHandle {
  readonly kind: SubscriptionKind;
  deliver(type: PubSubMessage['type'], pattern: string | null, channel: string, payload: RespValue): void;
  /** Ends without talking to the owner. */
  end(): void;
}

/** What a Subscription needs from the hub that places its names on shards. */
export interface SubscriptionOwner {
  add(sub: SubscriptionHandle, names: readonly string[]): Promise<void>;
  remove(sub: SubscriptionHandle, names: readonly string[]): Promise<void>;
}

/** The names a caller gave, checked: a string, or an array of strings. */
function nameList(kind: SubscriptionKind, names: string | readonly string[]): readonly string[] {
  const list = typeof names === 'string' ? [names] : names;
  if (!Array.isArray(list) || list.some((n) => typeof n !== 'string')) {
    throw new InvalidArgumentError(`${kind === 'pattern' ? 'patterns' : 'channels'} must be a string or an array of strings`);
  }
  return list;
}

interface Waiter<M extends string | Buffer> {
  resolve: (r: IteratorResult<PubSubMessage<M>>) => void;
  reject: (e: Error) => void;
}

/**
 * One subscription to channels, patterns or shard channels, made by `client.subscribe()`,
 * `psubscribe()` or `ssubscribe()`: messages arrive as events ('message', 'pmessage', 'smessage';
 * 'error' on overflow, 'close') and through `for await (const m of sub)`.
 */
export class Subscription<M extends string | Buffer = string> extends EventEmitter implements AsyncIterable<PubSubMessage<M>>, SubscriptionHandle {
  /** Messages lost to the overflow policy. */
  dropped = 0;
  /** Buffer mode: payloads stay Buffers. */
  readonly buffers: boolean;
  private readonly subscribed = new Set<string>();
  private readonly maxBuffered: number;
  private readonly overflow: 'error' | 'drop-oldest' | 'drop-newest';
  private buffer: Fifo<PubSubMessage<M>> | null = null;
  private readonly waiters: Waiter<M>[] = [];
  private failure: Error | null = null;
  private ended = false;

  /** @internal Made by the client's subscribe methods. */
  constructor(
    /** What it holds: channels, patterns or shard channels. */
    readonly kind: SubscriptionKind,
    private readonly owner: SubscriptionOwner,
    options: SubscriptionOptions | undefined,
  ) {
    super();
    if (options !== undefined && (typeof options !== 'object' || options === null)) throw new InvalidArgumentError('subscription options must be an object');
    options ??= {};
    this.maxBuffered = Math.max(1, options.maxBuffered ?? 1000);
    this.overflow = options.overflow ?? 'error';
    this.buffers = options.buffers === true;
  }

  /** The channels (or patterns) this subscription holds. */
  get names(): string[] {
    return [...this.subscribed];
  }

  /** True once the subscription has closed (close(), unsubscribing every name, overflow, or the client closing). */
  get closed(): boolean {
    return this.ended;
  }

  /** Adds channels (or patterns); resolves once every owning shard confirmed. */
  async subscribe(names: string | readonly string[]): Promise<void> {
    const fresh = nameList(this.kind, names).filter((n) => !this.subscribed.has(n));
    if (this.ended || fresh.length === 0) return;
    for (const n of fresh) this.subscribed.add(n);
    try {
      await this.owner.add(this, fresh);
    } catch (err) {
      for (const n of fresh) this.subscribed.delete(n);
      await this.owner.remove(this, fresh);
      throw err;
    }
  }

  /** Drops some names, or all (then the subscription closes). */
  async unsubscribe(names?: string | readonly string[]): Promise<void> {
    if (names === undefined) return this.close();
    const gone = nameList(this.kind, names).filter((n) => this.subscribed.delete(n));
    await this.owner.remove(this, gone);
    if (this.subscribed.size === 0) await this.close();
  }

  /** Unsubscribes everything and ends iteration; resolves once the nodes confirmed. */
  async close(): Promise<void> {
    if (this.ended) return;
    const names = [...this.subscribed];
    this.subscribed.clear();
    this.end();
    await this.owner.remove(this, names);
  }

  /** @internal Ends without talking to the owner (the client is closing every subscriber connection). */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    for (const w of this.waiters.splice(0)) w.resolve({ done: true, value: undefined });
    this.emit('close');
  }

  /**
   * @internal
   * Called by the shard subscriber for every message on one of this subscription's names, with
   * the payload as it arrived (a Buffer): decoded here unless in Buffer mode.
   */
  deliver(type: PubSubMessage['type'], pattern: string | null, channel: string, payload: RespValue): void {
    if (this.ended) return;
    const message = (this.buffers ? (Buffer.isBuffer(payload) ? payload : Buffer.from(text(payload))) : text(payload)) as M;
    const m: PubSubMessage<M> = type === 'pmessage' ? { type, pattern: pattern ?? '', channel, message } : { type, channel, message };
    if (m.type === 'pmessage') this.emit('pmessage', m.pattern, m.channel, m.message);
    else this.emit(m.type, m.channel, m.message);
    if (this.buffer === null) return;
    const w = this.waiters.shift();
    if (w !== undefined) return w.resolve({ done: false, value: m });
    if (this.buffer.length < this.maxBuffered) return this.buffer.push(m);
    this.dropped++;
    if (pubsubDropChannel.hasSubscribers) pubsubDropChannel.publish({ dropped: this.dropped, policy: this.overflow, channel: m.channel } satisfies PubSubDropMessage);
    if (this.overflow === 'drop-oldest') {
      this.buffer.shift();
      this.buffer.push(m);
    } else if (this.overflow === 'error') {
      this.failure = new PubSubOverflowError(this.maxBuffered, this.dropped);
      if (this.listenerCount('error') > 0) this.emit('error', this.failure);
      void this.close();
    }
  }

  private next(): Promise<IteratorResult<PubSubMessage<M>>> {
    const m = this.buffer?.shift();
    if (m !== undefined) return Promise.resolve({ done: false, value: m });
    if (this.failure !== null) {
      const f = this.failure;
      this.failure = null;
      return Promise.reject(f);
    }
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** The messages from now on, buffered up to `maxBuffered`; leaving the loop closes the subscription. */
  [Symbol.asyncIterator](): AsyncIterableIterator<PubSubMessage<M>> {
    this.buffer ??= new Fifo<PubSubMessage<M>>(16);
    const it: AsyncIterableIterator<PubSubMessage<M>> = {
      next: () => this.next(),
      return: async () => {
        await this.close();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]: () => it,
    };
    return it;
  }
}
