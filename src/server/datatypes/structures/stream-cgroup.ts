/**
 * Stream consumer groups (Redis streamCG / streamConsumer / streamNACK): a group's last delivered
 * ID and read counter, its pending entries list (PEL) and its consumers, each with its own PEL.
 *
 * Invariants: a NACK (pending entry) is one object shared by the group PEL and the PEL of the
 * consumer it names, under the same key (`idKey` of the entry ID), so both PELs always hold the
 * same IDs; a NACK created by XCLAIM FORCE has no consumer until the claim assigns it.
 * `entriesRead` is -1 when unknown (SCG_INVALID_ENTRIES_READ).
 */

import { SortedMap } from './sorted-map.js';
import { stringBytes } from './string-bytes.js';
import type { StreamId } from './stream-id.js';

export class Nack {
  constructor(
    /** Last delivery time (ms). */
    public deliveryTime: number,
    public deliveryCount: number,
    public consumer: Consumer | null,
  ) {}
}

export class Consumer {
  readonly pel = new SortedMap<Nack>();
  constructor(
    readonly name: string,
    public seenTime: number,
  ) {}
}

export const INVALID_ENTRIES_READ = -1;

/** Heap bytes of one consumer beyond its name (object, PEL map, map slots), for the memory estimate. */
const CONSUMER_OVERHEAD = 200;

export class ConsumerGroup {
  readonly pel = new SortedMap<Nack>();
  readonly consumers = new SortedMap<Consumer>();
  /** Estimated bytes of the consumers, kept as they come and go (the stream's memory account). */
  consumerBytes = 0;
  constructor(
    readonly name: string,
    public lastId: StreamId,
    public entriesRead: number,
  ) {}

  /** The consumer `name`, refreshing its seen-time unless `refresh` is false (SLC_NO_REFRESH). */
  lookupConsumer(name: string, now: number, refresh = true): Consumer | undefined {
    const c = this.consumers.get(name);
    if (c !== undefined && refresh) c.seenTime = now;
    return c;
  }

  /** Creates consumer `name`; null when it exists. */
  createConsumer(name: string, now: number): Consumer | null {
    if (this.consumers.has(name)) return null;
    const c = new Consumer(name, now);
    this.addConsumer(c);
    return c;
  }

  /** Adds a consumer known to be new (loading, copying). */
  addConsumer(c: Consumer): void {
    this.consumers.set(c.name, c);
    this.consumerBytes += CONSUMER_OVERHEAD + stringBytes(c.name.length);
  }

  /** Deletes a consumer and its pending entries from the group PEL (streamDelConsumer). */
  deleteConsumer(c: Consumer): void {
    for (const [key] of c.pel.entries()) this.pel.delete(key);
    this.consumers.delete(c.name);
    this.consumerBytes -= CONSUMER_OVERHEAD + stringBytes(c.name.length);
  }

  /** Acknowledges one entry; true when it was pending. */
  ack(key: string): boolean {
    const nack = this.pel.delete(key);
    if (nack === undefined) return false;
    nack.consumer?.pel.delete(key);
    return true;
  }

  /**
   * Records a delivery of entry `key` to `consumer` (streamReplyWithRange with a group): a new
   * NACK, or an existing one moved to this consumer with its delivery count reset to 1.
   */
  deliver(key: string, consumer: Consumer, now: number): Nack {
    const existing = this.pel.get(key);
    if (existing === undefined) {
      const nack = new Nack(now, 1, consumer);
      this.pel.set(key, nack);
      consumer.pel.set(key, nack);
      return nack;
    }
    existing.consumer?.pel.delete(key);
    existing.consumer = consumer;
    existing.deliveryTime = now;
    existing.deliveryCount = 1;
    consumer.pel.set(key, existing);
    return existing;
  }

  /** Moves a NACK to `consumer` (XCLAIM/XAUTOCLAIM ownership change). */
  assign(key: string, nack: Nack, consumer: Consumer): void {
    if (nack.consumer === consumer) return;
    nack.consumer?.pel.delete(key);
    consumer.pel.set(key, nack);
    nack.consumer = consumer;
  }

  /** A deep copy (COPY). */
  clone(): ConsumerGroup {
    const g = new ConsumerGroup(this.name, this.lastId, this.entriesRead);
    for (const c of this.consumers.values()) g.addConsumer(new Consumer(c.name, c.seenTime));
    for (const [key, n] of this.pel.entries()) {
      const owner = n.consumer === null ? null : g.consumers.get(n.consumer.name)!;
      const copy = new Nack(n.deliveryTime, n.deliveryCount, owner);
      g.pel.set(key, copy);
      owner?.pel.set(key, copy);
    }
    return g;
  }
}
