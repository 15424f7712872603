// Cache-aside over a real SQLite database, with a fleet of three ringcache-server nodes.
//
// Reads go cache first; a miss loads the row from SQLite and caches it with a TTL. Concurrent misses
// for one key share one database query (single-flight), so a hot key that expires does not stampede
// the database. Writes update SQLite, then delete the cached copy. At the end: hit rate, latency
// percentiles, database queries, and how keys spread over the three shards.
import Database from 'better-sqlite3';
import { RingClient } from 'ringcache';
import { startFleet } from './fleet.mjs';

const PRODUCTS = 10_000;
const READS = Number(process.env.DEMO_READS ?? 60_000);
const WRITE_EVERY = 50; // 2% writes
const CONCURRENCY = 64;
const TTL_SECONDS = 30;

// --- the database -------------------------------------------------------------------------
const db = new Database(':memory:');
db.exec('CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT, price_cents INTEGER, stock INTEGER)');
const insert = db.prepare('INSERT INTO products (id, name, price_cents, stock) VALUES (?, ?, ?, ?)');
db.transaction(() => {
  for (let id = 1; id <= PRODUCTS; id++) insert.run(id, `product ${id}`, 100 + ((id * 7919) % 10_000), id % 50);
})();
const selectProduct = db.prepare('SELECT id, name, price_cents AS priceCents, stock FROM products WHERE id = ?');
const updateStock = db.prepare('UPDATE products SET stock = stock - 1 WHERE id = ? AND stock > 0');
let dbQueries = 0;

// --- the cache ------------------------------------------------------------------------------
const nodes = await startFleet(3);
const cache = new RingClient({
  shards: nodes.map((n, i) => ({ name: `cache-${i}`, master: `127.0.0.1:${n.port}` })),
  commandTimeoutMs: 2000,
});

const inflight = new Map(); // single-flight: key -> promise of the loaded row
let hits = 0;
let misses = 0;

async function getProduct(id) {
  const key = `product:${id}`;
  const cached = await cache.get(key);
  if (cached !== null) {
    hits++;
    return JSON.parse(cached);
  }
  misses++;
  let pending = inflight.get(key);
  if (pending === undefined) {
    pending = (async () => {
      dbQueries++;
      const row = selectProduct.get(id) ?? null;
      if (row !== null) await cache.set(key, JSON.stringify(row), { ex: TTL_SECONDS });
      return row;
    })().finally(() => inflight.delete(key));
    inflight.set(key, pending);
  }
  return pending;
}

async function buyProduct(id) {
  updateStock.run(id);
  await cache.del(`product:${id}`); // invalidate on write; the next read reloads it
}

// Zipf-like popularity: a few products get most of the traffic.
function pickProduct() {
  const u = Math.random();
  return Math.max(1, Math.min(PRODUCTS, Math.floor(Math.exp(u * Math.log(PRODUCTS + 1)))));
}

// --- the workload -----------------------------------------------------------------------------
const latencies = [];
let done = 0;
const started = process.hrtime.bigint();
async function worker() {
  while (done < READS) {
    const i = done++;
    const id = pickProduct();
    const t0 = process.hrtime.bigint();
    if (i % WRITE_EVERY === 0) await buyProduct(id);
    else await getProduct(id);
    latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
}
await Promise.all(Array.from({ length: CONCURRENCY }, worker));
const seconds = Number(process.hrtime.bigint() - started) / 1e9;

latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(3);
const spread = {};
for (let id = 1; id <= PRODUCTS; id++) {
  const s = cache.locate(`product:${id}`);
  spread[s] = (spread[s] ?? 0) + 1;
}

console.log('\nringcache cache-aside demo: SQLite behind 3 ringcache-server nodes');
console.log(`operations: ${READS} (${CONCURRENCY} concurrent, 2% writes) in ${seconds.toFixed(2)} s → ${Math.round(READS / seconds)} ops/s`);
console.log(`cache hit rate: ${((100 * hits) / (hits + misses)).toFixed(1)}%  (hits ${hits}, misses ${misses}, database queries ${dbQueries})`);
console.log(`latency ms: p50 ${pct(50)}  p90 ${pct(90)}  p99 ${pct(99)}  max ${latencies[latencies.length - 1].toFixed(3)}`);
console.log(`keys cached now: ${await cache.dbsize()}; product keys per shard: ${JSON.stringify(spread)}`);

await cache.close();
await Promise.all(nodes.map((n) => n.stop()));
db.close();
