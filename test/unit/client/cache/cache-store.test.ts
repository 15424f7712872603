/**
 * CacheStore: only hot keys are stored, concurrent misses share one load, an invalidation that
 * overtakes a load keeps its result out of the cache, shard flushes, and the byte bound; own
 * writes: reads wait for them, a plain SET is written through and refreshed, a push does not
 * spoil a load in flight on the link or a written-through value.
 */
import dc from 'node:diagnostics_channel';
import { describe, expect, it } from 'vitest';
import { CacheStore } from '../../../../src/client/cache/cache-store.js';
import type { LocalCacheConfig } from '../../../../src/client/resolve-options.js';
import type { RespValue } from '../../../../src/protocol/resp-types.js';

function make(over: Partial<LocalCacheConfig> = {}): { cache: CacheStore; advance: (ms: number) => void } {
  let t = 1_000_000;
  const cache = new CacheStore({
    hotThreshold: 5,
    ttlMs: 1000,
    jitter: 0,
    maxEntries: 100,
    maxBytes: 1 << 20,
    prefixes: [],
    windowMs: 1000,
    maxHotKeys: 1024,
    tracking: true,
    now: () => t,
    ...over,
  });
  return { cache, advance: (ms) => void (t += ms) };
}

/** A load whose answer the test releases by hand. */
function deferred(): { load: () => Promise<RespValue>; release: (v: RespValue) => void; calls: () => number } {
  let n = 0;
  let resolve: (v: RespValue) => void = () => undefined;
  const p = new Promise<RespValue>((r) => (resolve = r));
  return { load: () => (n++, p), release: (v) => resolve(v), calls: () => n };
}

async function warm(cache: CacheStore, key: string, value: RespValue): Promise<void> {
  for (let i = 0; i < 10; i++) {
    if (cache.admit(key)) await cache.lookup(`GET ${key}`, key, 's1', () => Promise.resolve(value));
  }
}

describe('CacheStore', () => {
  it('leaves cold keys to the caller and serves hot keys from memory', async () => {
    const { cache } = make();
    expect(cache.admit('k')).toBe(false);
    await warm(cache, 'k', 'v');
    expect(cache.lookup('GET k', 'k', 's1', () => Promise.reject(new Error('network touched')))).toBe('v');
    expect(cache.stats().hits).toBeGreaterThan(0);
    expect(cache.stats().hotKeys.map((h) => h.key)).toEqual(['k']);
  });

  it('shares one load between concurrent misses', async () => {
    const { cache } = make({ hotThreshold: 1 });
    const d = deferred();
    const a = cache.lookup('GET k', 'k', 's1', d.load);
    const b = cache.lookup('GET k', 'k', 's1', d.load);
    expect(d.calls()).toBe(1);
    d.release('v');
    expect(await a).toBe('v');
    expect(await b).toBe('v');
    expect(cache.lookup('GET k', 'k', 's1', d.load)).toBe('v');
  });

  it('does not store a value whose key was invalidated while it loaded', async () => {
    const { cache } = make({ hotThreshold: 1 });
    const d = deferred();
    const a = cache.lookup('GET k', 'k', 's1', d.load);
    cache.invalidate('k');
    d.release('old');
    expect(await a).toBe('old');
    expect(cache.stats().discardedLoads).toBe(1);
    expect(cache.stats().entries).toBe(0);
  });

  it('invalidates every answer about a key, and flushes by shard', async () => {
    const { cache } = make({ hotThreshold: 1 });
    await cache.lookup('GET a', 'a', 's1', () => Promise.resolve('1'));
    await cache.lookup('HGETALL a', 'a', 's1', () => Promise.resolve(['f', 'v']));
    await cache.lookup('GET b', 'b', 's2', () => Promise.resolve('2'));
    expect(cache.stats().entries).toBe(3);
    cache.invalidate('a');
    expect(cache.stats().entries).toBe(1);
    cache.flush('s2');
    expect(cache.stats().entries).toBe(0);
    const d = deferred();
    const p = cache.lookup('GET c', 'c', 's3', d.load);
    cache.flush(null);
    d.release('x');
    await p;
    expect(cache.stats().entries).toBe(0);
  });

  it('expires entries after their TTL and respects the byte bound', async () => {
    const { cache, advance } = make({ hotThreshold: 1, maxBytes: 4096 });
    await cache.lookup('GET k', 'k', 's1', () => Promise.resolve('v'));
    advance(1001);
    expect(cache.lookup('GET k', 'k', 's1', () => Promise.resolve('v2'))).toBeInstanceOf(Promise);
    for (let i = 0; i < 100; i++) await cache.lookup(`GET big${i}`, `big${i}`, 's1', () => Promise.resolve('x'.repeat(500)));
    expect(cache.stats().bytes).toBeLessThanOrEqual(4096);
  });

  it('keeps a load in flight when a push names its key (the reply is newer than the push)', async () => {
    const { cache } = make();
    await warm(cache, 'k', 'v1');
    cache.invalidatePushed('k');
    expect(cache.peek('GET k')).toBeUndefined();
    cache.admit('k');
    const d = deferred();
    const p = cache.lookup('GET k', 'k', 's1', d.load);
    cache.invalidatePushed('k');
    d.release('v2');
    expect(await p).toBe('v2');
    expect(cache.peek('GET k')).toBe('v2');
  });

  it('holds back loads of a key while this client writes it, so the read sees the write', async () => {
    const { cache } = make();
    await warm(cache, 'k', 'v1');
    expect(cache.beginWrite('k')).toBe(true);
    expect(cache.peek('GET k')).toBeUndefined();
    const d = deferred();
    cache.admit('k');
    const p = cache.lookup('GET k', 'k', 's1', d.load);
    await Promise.resolve();
    expect(d.calls()).toBe(0);
    expect(cache.endWrite('k', true)).toBeNull();
    expect(d.calls()).toBe(1);
    d.release('v2');
    expect(await p).toBe('v2');
  });

  it('does not let a read join a load that one of our writes spoiled', async () => {
    const { cache } = make();
    await warm(cache, 'k', 'v1');
    cache.invalidate('k');
    const first = deferred();
    cache.admit('k');
    const p1 = cache.lookup('GET k', 'k', 's1', first.load);
    cache.beginWrite('k');
    const second = deferred();
    cache.admit('k');
    const p2 = cache.lookup('GET k', 'k', 's1', second.load);
    first.release('old');
    expect(await p1).toBe('old');
    cache.endWrite('k', true);
    second.release('new');
    expect(await p2).toBe('new');
    expect(cache.peek('GET k')).toBe('new');
  });

  it('answers a written-through value at once, keeps it through a push, and refreshes it once writes settle', async () => {
    const { cache } = make();
    await warm(cache, 'k', 'v1');
    expect(cache.writeThrough('k', 'GET k', 's1', 'v2')).toBe(true);
    expect(cache.writeThrough('k', 'GET k', 's1', 'v3')).toBe(true);
    expect(cache.peek('GET k')).toBe('v3');
    cache.invalidatePushed('k'); // our own write's push: the entry is untracked, it stays
    expect(cache.peek('GET k')).toBe('v3');
    expect(cache.endWrite('k', true)).toBeNull(); // one write still in flight
    expect(cache.endWrite('k', true)).toEqual(['GET k']);
    const d = deferred();
    cache.refresh('GET k', 'k', 's1', d.load);
    expect(cache.peek('GET k')).toBe('v3'); // served while the refresh is in flight
    d.release('v4'); // a foreign write landed after ours
    await new Promise((r) => setTimeout(r, 0));
    expect(cache.peek('GET k')).toBe('v4');
    cache.invalidatePushed('k'); // tracked again: a push drops it
    expect(cache.peek('GET k')).toBeUndefined();
  });

  it('drops a written-through value when the write fails', async () => {
    const { cache } = make();
    await warm(cache, 'k', 'v1');
    cache.writeThrough('k', 'GET k', 's1', 'v2');
    expect(cache.endWrite('k', false)).toBeNull();
    expect(cache.peek('GET k')).toBeUndefined();
  });

  it('does not write through or hold back writes of cold keys', () => {
    const { cache } = make();
    expect(cache.writeThrough('cold', 'GET cold', 's1', 'v')).toBe(false);
    expect(cache.beginWrite('cold')).toBe(false);
    expect(cache.peek('GET cold')).toBeUndefined();
  });

  it('publishes hits, misses and invalidations on diagnostics_channel only while subscribed', async () => {
    const { cache } = make();
    const seen: string[] = [];
    const on = (kind: string) => (m: unknown) => {
      const msg = m as { key: string | null; joined?: boolean; source?: string };
      seen.push(`${kind}:${msg.key}${msg.source !== undefined ? `:${msg.source}` : ''}${msg.joined === true ? ':joined' : ''}`);
    };
    const handlers = { hit: on('hit'), miss: on('miss'), invalidate: on('invalidate') };
    await warm(cache, 'k', 'v1');
    expect(seen).toHaveLength(0);
    for (const k of ['hit', 'miss', 'invalidate'] as const) dc.subscribe(`ringcache:cache:${k}`, handlers[k]);
    try {
      cache.admit('k');
      expect(cache.peek('GET k')).toBe('v1');
      cache.invalidatePushed('k');
      const d = deferred();
      cache.lookup('GET k', 'k', 's1', d.load);
      cache.lookup('GET k', 'k', 's1', d.load);
      d.release('v2');
      cache.invalidate('k');
      cache.flush('s1');
      expect(seen).toEqual(['hit:k', 'invalidate:k:push', 'miss:k', 'miss:k:joined', 'invalidate:k:write', 'invalidate:null:flush']);
    } finally {
      for (const k of ['hit', 'miss', 'invalidate'] as const) dc.unsubscribe(`ringcache:cache:${k}`, handlers[k]);
    }
  });
});
