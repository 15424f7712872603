/**
 * RingClient: the public face of the smart client. Application code treats a fleet of cache nodes
 * as one cache; keys are placed on a consistent-hash ring by shard NAME.
 *
 * Data path: method → router (keys → ring → shard → master or replica) → node pool → connection
 * (auto-pipelined). Multi-key commands fan out per shard and answer in argument order. Replies are
 * strings by default; `*Buffer` methods and `{ buffers: true }` return Buffers. Every error is coded.
 */

import { EventEmitter } from 'node:events';
import { ClientClosedError, InvalidArgumentError } from '../errors.js';
import type { RespValue } from '../protocol/resp-types.js';
import type { CacheLayerStats } from './cache-layer.js';
import type { Arg } from './command.js';
import { execute, type CallOptions } from './executor.js';
import { resolveOptions, type RingClientOptions } from './options.js';
import { Pipeline, Transaction } from './pipeline.js';
import type { NodePoolStats } from './pool.js';
import { Router } from './router.js';

export interface SetOptions {
  /** Expire after this many seconds. */
  ex?: number;
  /** Expire after this many milliseconds. */
  px?: number;
  /** Expire at this Unix time (seconds). */
  exat?: number;
  /** Expire at this Unix time (milliseconds). */
  pxat?: number;
  /** Only set if the key does not exist. */
  nx?: boolean;
  /** Only set if the key exists. */
  xx?: boolean;
  /** Keep the key's current TTL. */
  keepttl?: boolean;
  /** Return the previous value (SET … GET). */
  get?: boolean;
}

export interface ClientStats {
  shards: { name: string; master: NodePoolStats; replicas: NodePoolStats[] }[];
  /** The hot-key local cache (absent when `localCache` is not configured). */
  localCache?: CacheLayerStats;
}

function setArgs(key: Arg, value: Arg, o: SetOptions | undefined): Arg[] {
  const argv: Arg[] = ['SET', key, value];
  if (o === undefined) return argv;
  const ttl = [o.ex, o.px, o.exat, o.pxat].filter((x) => x !== undefined).length;
  if (ttl > 1 || (ttl === 1 && o.keepttl === true)) throw new InvalidArgumentError('set: give at most one of ex, px, exat, pxat, keepttl');
  if (o.nx === true && o.xx === true) throw new InvalidArgumentError('set: nx and xx are exclusive');
  if (o.ex !== undefined) argv.push('EX', o.ex);
  if (o.px !== undefined) argv.push('PX', o.px);
  if (o.exat !== undefined) argv.push('EXAT', o.exat);
  if (o.pxat !== undefined) argv.push('PXAT', o.pxat);
  if (o.keepttl === true) argv.push('KEEPTTL');
  if (o.nx === true) argv.push('NX');
  if (o.xx === true) argv.push('XX');
  if (o.get === true) argv.push('GET');
  return argv;
}

function asString(v: RespValue): string | null {
  if (v === null) return null;
  return typeof v === 'string' ? v : Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
}

function asNumber(v: RespValue): number {
  return typeof v === 'number' ? v : Number(v);
}

function asHash(v: RespValue): Record<string, string> {
  const out: Record<string, string> = {};
  if (v instanceof Map) for (const [k, x] of v) out[String(k)] = String(x);
  else if (Array.isArray(v)) for (let i = 0; i + 1 < v.length; i += 2) out[String(v[i])] = String(v[i + 1]);
  return out;
}

export class RingClient extends EventEmitter {
  private readonly router: Router;
  private closed = false;

  constructor(options: RingClientOptions) {
    super();
    this.router = new Router(resolveOptions(options));
  }

  /** Name of the shard that owns `key`. */
  locate(key: string | Buffer): string {
    return this.router.ring.locate(key);
  }

  /** Sends any command, routed by the command table. */
  call(name: string, ...args: Arg[]): Promise<RespValue> {
    if (this.closed) return Promise.reject(new ClientClosedError());
    return execute(this.router, [name, ...args]);
  }

  /** Like call(), with per-call options (Buffers, read policy). */
  callWith(opts: CallOptions, name: string, ...args: Arg[]): Promise<RespValue> {
    if (this.closed) return Promise.reject(new ClientClosedError());
    return execute(this.router, [name, ...args], opts);
  }

  async get(key: Arg): Promise<string | null> {
    return asString(await this.call('GET', key));
  }

  async getBuffer(key: Arg): Promise<Buffer | null> {
    return (await this.callWith({ buffers: true }, 'GET', key)) as Buffer | null;
  }

  /** SET with options; resolves 'OK', null (NX/XX not met) or the old value with `get`. */
  async set(key: Arg, value: Arg, options?: SetOptions): Promise<string | null> {
    const argv = setArgs(key, value, options);
    return asString(await this.call(...(argv as [string, ...Arg[]])));
  }

  async mget(keys: readonly Arg[]): Promise<(string | null)[]> {
    const r = (await this.call('MGET', ...keys)) as RespValue[];
    return r.map(asString);
  }

  /** Sets several keys (split per shard; each shard's part is atomic, the whole is not). */
  async mset(entries: Record<string, Arg> | readonly (readonly [Arg, Arg])[]): Promise<'OK'> {
    const pairs = Array.isArray(entries) ? (entries as readonly (readonly [Arg, Arg])[]) : Object.entries(entries);
    await this.call('MSET', ...pairs.flat());
    return 'OK';
  }

  async del(...keys: Arg[]): Promise<number> {
    return asNumber(await this.call('DEL', ...keys));
  }

  async exists(...keys: Arg[]): Promise<number> {
    return asNumber(await this.call('EXISTS', ...keys));
  }

  async expire(key: Arg, seconds: number): Promise<boolean> {
    return asNumber(await this.call('EXPIRE', key, seconds)) === 1;
  }

  async ttl(key: Arg): Promise<number> {
    return asNumber(await this.call('TTL', key));
  }

  async incr(key: Arg): Promise<number> {
    return asNumber(await this.call('INCR', key));
  }

  async incrby(key: Arg, by: number): Promise<number> {
    return asNumber(await this.call('INCRBY', key, by));
  }

  async decr(key: Arg): Promise<number> {
    return asNumber(await this.call('DECR', key));
  }

  async hset(key: Arg, fields: Record<string, Arg>): Promise<number> {
    return asNumber(await this.call('HSET', key, ...Object.entries(fields).flat()));
  }

  async hget(key: Arg, field: Arg): Promise<string | null> {
    return asString(await this.call('HGET', key, field));
  }

  async hgetall(key: Arg): Promise<Record<string, string>> {
    return asHash(await this.call('HGETALL', key));
  }

  async hdel(key: Arg, ...fields: Arg[]): Promise<number> {
    return asNumber(await this.call('HDEL', key, ...fields));
  }

  async lpush(key: Arg, ...values: Arg[]): Promise<number> {
    return asNumber(await this.call('LPUSH', key, ...values));
  }

  async rpush(key: Arg, ...values: Arg[]): Promise<number> {
    return asNumber(await this.call('RPUSH', key, ...values));
  }

  async lpop(key: Arg): Promise<string | null> {
    return asString(await this.call('LPOP', key));
  }

  async rpop(key: Arg): Promise<string | null> {
    return asString(await this.call('RPOP', key));
  }

  async lrange(key: Arg, start: number, stop: number): Promise<string[]> {
    return ((await this.call('LRANGE', key, start, stop)) as RespValue[]).map((v) => asString(v) ?? '');
  }

  async llen(key: Arg): Promise<number> {
    return asNumber(await this.call('LLEN', key));
  }

  async sadd(key: Arg, ...members: Arg[]): Promise<number> {
    return asNumber(await this.call('SADD', key, ...members));
  }

  async srem(key: Arg, ...members: Arg[]): Promise<number> {
    return asNumber(await this.call('SREM', key, ...members));
  }

  async smembers(key: Arg): Promise<string[]> {
    return ((await this.call('SMEMBERS', key)) as RespValue[]).map((v) => asString(v) ?? '');
  }

  async sismember(key: Arg, member: Arg): Promise<boolean> {
    return asNumber(await this.call('SISMEMBER', key, member)) === 1;
  }

  async scard(key: Arg): Promise<number> {
    return asNumber(await this.call('SCARD', key));
  }

  /** Keys across every shard (DBSIZE summed). */
  async dbsize(): Promise<number> {
    return asNumber(await this.call('DBSIZE'));
  }

  async ping(): Promise<string> {
    return String(await this.call('PING'));
  }

  /** A batch of commands sent together, spanning shards; answers in call order. */
  pipeline(): Pipeline {
    return new Pipeline(this.router);
  }

  /** An atomic MULTI/EXEC on one shard (co-locate keys with {hash tags}). */
  multi(): Transaction {
    return new Transaction(this.router);
  }

  stats(): ClientStats {
    return {
      shards: this.router.all().map((s) => ({ name: s.name, master: s.master.stats(), replicas: s.replicas.map((r) => r.stats()) })),
      ...(this.router.cache !== null ? { localCache: this.router.cache.stats() } : {}),
    };
  }

  /** Closes every connection after in-flight commands are answered. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.router.close();
  }
}
