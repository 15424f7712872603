// Client throughput against one real redis-server, in one run: ringcache's RingClient (one shard)
// vs ioredis (with and without enableAutoPipelining) vs node-redis, 100-byte values.
// Workloads: 1 in flight; 100 in flight; 1000 in flight; an explicit pipeline of 1000.
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { RingClient } from '../dist/index.js';
import { startRedis } from './lib/servers.mjs';

const OPS = Number(process.env.BENCH_OPS ?? 100_000);
const VALUE = 'x'.repeat(100);

async function inFlight(label, n, op) {
  let next = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < OPS) {
      const i = next++;
      await op(i);
    }
  }));
  return OPS / (Number(process.hrtime.bigint() - t0) / 1e9);
}

async function pipelined(batch, run) {
  const t0 = process.hrtime.bigint();
  for (let done = 0; done < OPS; done += batch) await run(batch, done);
  return OPS / (Number(process.hrtime.bigint() - t0) / 1e9);
}

const redis = await startRedis();
const addr = `127.0.0.1:${redis.port}`;
const clients = {
  ringcache: new RingClient({ shards: [{ name: 'a', master: addr }] }),
  'ioredis': new Redis({ port: redis.port, host: '127.0.0.1' }),
  'ioredis+autopipe': new Redis({ port: redis.port, host: '127.0.0.1', enableAutoPipelining: true }),
  'node-redis': createClient({ socket: { port: redis.port, host: '127.0.0.1' } }),
};
await clients['node-redis'].connect();
await clients.ringcache.ping();

const ops = {
  ringcache: (i) => (i & 1 ? clients.ringcache.get(`k${i % 1000}`) : clients.ringcache.set(`k${i % 1000}`, VALUE)),
  ioredis: (i) => (i & 1 ? clients.ioredis.get(`k${i % 1000}`) : clients.ioredis.set(`k${i % 1000}`, VALUE)),
  'ioredis+autopipe': (i) => (i & 1 ? clients['ioredis+autopipe'].get(`k${i % 1000}`) : clients['ioredis+autopipe'].set(`k${i % 1000}`, VALUE)),
  'node-redis': (i) => (i & 1 ? clients['node-redis'].get(`k${i % 1000}`) : clients['node-redis'].set(`k${i % 1000}`, VALUE)),
};
const pipes = {
  ringcache: async (n, base) => { const p = clients.ringcache.pipeline(); for (let i = 0; i < n; i++) p.set(`k${(base + i) % 1000}`, VALUE); await p.exec(); },
  ioredis: async (n, base) => { const p = clients.ioredis.pipeline(); for (let i = 0; i < n; i++) p.set(`k${(base + i) % 1000}`, VALUE); await p.exec(); },
  'ioredis+autopipe': async (n, base) => { const p = clients['ioredis+autopipe'].pipeline(); for (let i = 0; i < n; i++) p.set(`k${(base + i) % 1000}`, VALUE); await p.exec(); },
  'node-redis': async (n, base) => { const m = clients['node-redis'].multi(); for (let i = 0; i < n; i++) m.set(`k${(base + i) % 1000}`, VALUE); await m.execAsPipeline(); },
};

const rows = [];
for (const [wl, fn] of [
  ['1 in flight', (name) => inFlight(name, 1, ops[name])],
  ['100 in flight', (name) => inFlight(name, 100, ops[name])],
  ['1000 in flight', (name) => inFlight(name, 1000, ops[name])],
  ['pipeline of 1000', (name) => pipelined(1000, pipes[name])],
]) {
  const row = { workload: wl };
  for (const name of Object.keys(clients)) {
    await fn(name); // warm-up
    row[name] = Math.round(await fn(name));
  }
  const others = Object.keys(clients).filter((n) => n !== 'ringcache').map((n) => row[n]);
  row['ratio vs best other'] = (row.ringcache / Math.max(...others)).toFixed(2);
  rows.push(row);
}
console.log(`ops/s, ${OPS} ops per cell (half SET, half GET; pipelines: SET), 100-byte values, one redis-server`);
console.table(rows);
await clients.ringcache.close();
clients.ioredis.disconnect();
clients['ioredis+autopipe'].disconnect();
await clients['node-redis'].quit();
await redis.stop();
