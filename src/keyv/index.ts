/**
 * `ringcache/keyv`: a Keyv storage adapter over a RingClient, so `new Keyv({ store: new
 * KeyvRingcache(client) })` caches across the ring. It implements Keyv 6's storage contract
 * (`capabilities.expires`: `set` takes an absolute expiry in ms, sent as SET … PXAT, so the nodes
 * expire entries themselves): get/getMany (MGET split per shard), set/setMany, delete/deleteMany,
 * has/hasMany, clear and disconnect.
 *
 * Namespaces: with `namespace` set (Keyv sets it), every key is stored as `<namespace>:<key>`, and
 * clear() deletes only that namespace's keys, found with SCAN MATCH on every shard (never KEYS,
 * never FLUSHDB); without one, clear() deletes every key the client sees (its keyPrefix's, when set).
 * Values are what Keyv hands over (strings once serialized). Imports only the public client API.
 *
 * @module ringcache/keyv
 */

import { EventEmitter } from 'node:events';
import { RingClient, type RingClientOptions } from '../index.js';

/** Keys deleted per DEL while clearing. */
const CLEAR_BATCH = 500;

/** An entry of setMany(): Keyv's KeyvStorageEntry. */
export interface KeyvRingcacheEntry {
  /** Keyv's key (the namespace is added by the adapter). */
  key: string;
  /** The value: stored as is when a string or Buffer, else as JSON. */
  value: unknown;
  /** Absolute expiry, ms since the epoch; undefined: none. */
  expires?: number;
}

/** What the adapter declares to Keyv (Keyv 6's storage capabilities). */
export interface KeyvRingcacheCapabilities {
  /** Implements Keyv 6's storage contract. */
  compatible: boolean;
  /** Which contract: 'keyvStorage'. */
  store: 'keyvStorage';
  /** `set` takes an absolute expiry (ms since the epoch), which the nodes enforce (SET … PXAT). */
  expires: boolean;
  /** Each method of the contract, by name. */
  methods: Record<string, KeyvRingcacheMethod>;
}

/** One method in KeyvRingcacheCapabilities. */
export interface KeyvRingcacheMethod {
  /** The adapter has it. */
  exists: boolean;
  /** It returns a promise. */
  methodType: string;
}

/** The adapter. Give it a RingClient (you close it), or options to make one (disconnect() closes it). */
export class KeyvRingcache extends EventEmitter {
  /** Set by Keyv: the namespace of its keys. */
  namespace: string | undefined = undefined;
  /** Keyv 6 storage contract: `set` takes an absolute expiry. */
  readonly capabilities: KeyvRingcacheCapabilities = {
    compatible: true,
    store: 'keyvStorage',
    expires: true,
    methods: Object.fromEntries(
      ['get', 'set', 'delete', 'clear', 'has', 'getMany', 'setMany', 'deleteMany', 'hasMany', 'disconnect'].map((m) => [m, { exists: true, methodType: 'async' }]),
    ),
  };
  /** The RingClient the entries go through. */
  readonly client: RingClient;
  private readonly owned: boolean;

  /** Over `client` (you close it), or over a RingClient made from these options (disconnect() closes it). */
  constructor(client: RingClient | RingClientOptions) {
    super();
    this.owned = !(client instanceof RingClient);
    this.client = client instanceof RingClient ? client : new RingClient(client);
  }

  private key(k: string): string {
    return this.namespace === undefined || this.namespace === '' ? k : `${this.namespace}:${k}`;
  }

  /** GET: the value, or undefined when the key is missing or expired. */
  async get(key: string): Promise<string | undefined> {
    return (await this.client.get(this.key(key))) ?? undefined;
  }

  /** MGET (split per shard): the values in key order, undefined for missing ones. */
  async getMany(keys: string[]): Promise<(string | undefined)[]> {
    if (keys.length === 0) return [];
    return (await this.client.mget(keys.map((k) => this.key(k)))).map((v) => v ?? undefined);
  }

  /**
   * SET (… PXAT `expires`, an absolute time in ms, when given): true when stored. An expiry already
   * past deletes the key instead (and resolves true).
   */
  async set(key: string, value: unknown, expires?: number): Promise<boolean> {
    const v = typeof value === 'string' || Buffer.isBuffer(value) ? value : JSON.stringify(value);
    if (expires !== undefined && expires <= Date.now()) {
      await this.client.del(this.key(key));
      return true;
    }
    const r = await this.client.set(this.key(key), v, expires === undefined ? undefined : { pxat: expires });
    return r === 'OK';
  }

  /** set() for each entry, concurrently: one boolean per entry. */
  async setMany(entries: KeyvRingcacheEntry[]): Promise<boolean[]> {
    return Promise.all(entries.map((e) => this.set(e.key, e.value, e.expires)));
  }

  /** DEL: true when the key existed. */
  async delete(key: string): Promise<boolean> {
    return (await this.client.del(this.key(key))) > 0;
  }

  /** delete() for each key, concurrently: one boolean per key. */
  async deleteMany(keys: string[]): Promise<boolean[]> {
    return Promise.all(keys.map((k) => this.delete(k)));
  }

  /** EXISTS: true when the key exists. */
  async has(key: string): Promise<boolean> {
    return (await this.client.exists(this.key(key))) > 0;
  }

  /** has() for each key, concurrently: one boolean per key. */
  async hasMany(keys: string[]): Promise<boolean[]> {
    return Promise.all(keys.map((k) => this.has(k)));
  }

  /** Deletes the namespace's keys (every key without a namespace), shard by shard with SCAN. */
  async clear(): Promise<void> {
    const ns = this.namespace;
    const match = ns === undefined || ns === '' ? '*' : `${ns.replace(/[*?[\]\\]/g, '\\$&')}:*`;
    let batch: string[] = [];
    for await (const k of this.client.scanIterator({ match, count: CLEAR_BATCH })) {
      batch.push(k);
      if (batch.length >= CLEAR_BATCH) {
        await this.client.del(...batch);
        batch = [];
      }
    }
    if (batch.length > 0) await this.client.del(...batch);
  }

  /** Closes the client when the adapter made it. */
  async disconnect(): Promise<void> {
    if (this.owned) await this.client.close();
  }
}
