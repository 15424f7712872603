/**
 * A shard whose master dies and no failover replaces it, with three real ringcache-server nodes:
 * by default its commands reject at once with ERR_SHARD_DOWN (the command timeout is set far
 * beyond the test's reach, so only fail fast can settle them) while the other shards serve; with
 * `onShardDown: { eject }` the shard leaves the ring after N failed checks, its keys are served by
 * the others, and it rejoins when it answers again on the same port.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RingClient } from '../../src/client/ring-client.js';
import type { RingClientOptions } from '../../src/client/options.js';
import type { ShardHealthInfo } from '../../src/client/topology/shard-health.js';
import { HarnessError } from '../helpers/harness-error.js';
import { startRingcache, type ServerProcess } from '../helpers/processes.js';

/**
 * The next `event` of the client (bounded: rejects with HarnessError after timeoutMs). Not
 * events.once: it also listens for 'error', which the client emits (to listeners) when a shard's
 * connect fails, and would reject on it.
 */
function nextEvent(client: RingClient, event: 'shard-down' | 'shard-up' | 'shard-ejected' | 'shard-restored', timeoutMs = 15_000): Promise<ShardHealthInfo> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      client.off(event, on);
      reject(new HarnessError(`no '${event}' event within ${timeoutMs} ms`));
    }, timeoutMs);
    const on = (info: ShardHealthInfo): void => {
      clearTimeout(t);
      resolve(info);
    };
    client.once(event, on);
  });
}

/** One key owned by each shard (by the client's ring as it is now). */
function keyPer(client: RingClient, names: readonly string[], prefix: string): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < 1000 && out.size < names.length; i++) {
    const k = `${prefix}:${i}`;
    const owner = client.locate(k);
    if (!out.has(owner)) out.set(owner, k);
  }
  return out;
}

let procs: ServerProcess[] = [];
let clients: RingClient[] = [];

afterEach(async () => {
  // Nodes stop even when a client's close fails: no process outlives the test.
  await Promise.allSettled([...clients.map((c) => c.close()), ...procs.map((p) => p.stop())]);
  procs = [];
  clients = [];
});

async function fleet(extra: Partial<RingClientOptions>): Promise<{ nodes: ServerProcess[]; client: RingClient; names: string[] }> {
  const nodes = await Promise.all([0, 1, 2].map(() => startRingcache()));
  procs.push(...nodes);
  const names = nodes.map((_, i) => `s${i}`);
  const client = new RingClient({
    shards: nodes.map((n, i) => ({ name: names[i]!, master: `127.0.0.1:${n.port}` })),
    // Far beyond any wait in this file: a command settled here was settled by fail fast or ejection.
    commandTimeoutMs: 120_000,
    reconnect: { maxDelayMs: 200 },
    ...extra,
  });
  clients.push(client);
  return { nodes, client, names };
}

describe('a shard whose master is down', () => {
  it('fails fast by default with ERR_SHARD_DOWN; the other shards are unaffected; it comes back', async () => {
    const { nodes, client, names } = await fleet({});
    const keys = keyPer(client, names, 'ff');
    for (const [, k] of keys) expect(await client.set(k, 'v')).toBe('OK');
    const down = nextEvent(client, 'shard-down');
    await nodes[0]!.kill();

    // A read in flight or queued when the node died is re-queued, then refused.
    await expect(client.get(keys.get('s0')!)).rejects.toMatchObject({ code: 'ERR_SHARD_DOWN', shard: 's0' });
    expect(await down).toMatchObject({ shard: 's0', address: `127.0.0.1:${nodes[0]!.port}` });
    await expect(client.set(keys.get('s0')!, 'x')).rejects.toMatchObject({ code: 'ERR_SHARD_DOWN' });
    await expect(client.mget([...keys.values()])).rejects.toMatchObject({ code: 'ERR_SHARD_DOWN' });
    expect(await client.get(keys.get('s1')!)).toBe('v');
    expect(await client.set(keys.get('s2')!, 'w')).toBe('OK');
    expect(client.stats().shards.map((s) => s.state)).toEqual(['down', 'up', 'up']);
    expect(client.locate(keys.get('s0')!)).toBe('s0'); // fail fast never moves keys

    const up = nextEvent(client, 'shard-up');
    procs[0] = await startRingcache({ port: nodes[0]!.port });
    expect(await up).toMatchObject({ shard: 's0' });
    expect(await client.set(keys.get('s0')!, 'again')).toBe('OK');
    expect(await client.get(keys.get('s0')!)).toBe('again');
    expect(client.stats().shards.map((s) => s.state)).toEqual(['up', 'up', 'up']);
  });

  it('with onShardDown eject: leaves the ring after N failed checks, its keys go to the others, and it rejoins', async () => {
    const { nodes, client, names } = await fleet({ onShardDown: { eject: { afterFailedChecks: 2, checkIntervalMs: 100, restoreAfterChecks: 1 } } });
    const owners = Array.from({ length: 300 }, (_, i) => `ej:${i}`).map((k) => [k, client.locate(k)] as const);
    const k1 = owners.find(([, o]) => o === 's1')![0];
    expect(await client.set(k1, 'before')).toBe('OK');
    const ejected = nextEvent(client, 'shard-ejected');
    await nodes[1]!.kill();

    expect(await ejected).toMatchObject({ shard: 's1', checks: 2, address: `127.0.0.1:${nodes[1]!.port}` });
    expect(client.stats().shards.find((s) => s.name === 's1')!.state).toBe('ejected');
    // Only the ejected shard's keys moved, each to a live shard.
    for (const [k, o] of owners) {
      if (o === 's1') expect(['s0', 's2']).toContain(client.locate(k));
      else expect(client.locate(k)).toBe(o);
    }
    expect(await client.get(k1)).toBeNull(); // its new owner never had it
    expect(await client.set(k1, 'moved')).toBe('OK');
    expect(await client.get(k1)).toBe('moved');
    expect(typeof (await client.dbsize())).toBe('number'); // all-shards commands skip the ejected shard

    const restored = nextEvent(client, 'shard-restored');
    procs[1] = await startRingcache({ port: nodes[1]!.port });
    expect(await restored).toMatchObject({ shard: 's1', checks: 1 });
    expect(client.locate(k1)).toBe('s1');
    for (const [k, o] of owners) expect(client.locate(k)).toBe(o);
    expect(await client.get(k1)).toBeNull(); // a restarted, empty node: the value written meanwhile stays behind
    expect(await client.set(k1, 'home')).toBe('OK');
    expect(await client.get(k1)).toBe('home');
    expect(names.map((n) => client.stats().shards.find((s) => s.name === n)!.state)).toEqual(['up', 'up', 'up']);
  });
});
