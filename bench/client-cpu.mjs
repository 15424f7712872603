// The client's own CPU per command (process.cpuUsage: user + system of this process), which the
// machine's load disturbs far less than wall-clock throughput: 1000 in flight, half SET half GET,
// 100-byte values, one redis-server. With two builds (`node bench/client-cpu.mjs <dist-a> <dist-b>`,
// each a dist/ folder, e.g. main's built in a scratch copy and this checkout's) it alternates them
// round by round in one process and prints the medians and their ratio (b / a); with none it
// measures ./dist alone. ROUNDS (default 7) and BENCH_OPS (default 100000) tune it.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startRedis } from './lib/servers.mjs';

const OPS = Number(process.env.BENCH_OPS ?? 100_000);
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const VALUE = 'x'.repeat(100);
const dists = process.argv.length > 2 ? process.argv.slice(2, 4) : [new URL('../dist', import.meta.url).pathname];

async function run(c) {
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: 1000 }, async () => {
    while (next < OPS) {
      const i = next++;
      await (i & 1 ? c.get(`k${i % 1000}`) : c.set(`k${i % 1000}`, VALUE));
    }
  }));
  const cpu = process.cpuUsage(cpu0);
  return { usPerOp: (cpu.user + cpu.system) / OPS, opsPerSec: OPS / (Number(process.hrtime.bigint() - t0) / 1e9) };
}

const median = (a) => a.slice().sort((x, y) => x - y)[a.length >> 1];
const redis = await startRedis();
const clients = [];
for (const d of dists) {
  const { RingClient } = await import(pathToFileURL(resolve(d, 'index.js')).href);
  const c = new RingClient({ shards: [{ name: 'a', master: `127.0.0.1:${redis.port}` }] });
  await c.ping();
  await run(c); // warm-up
  clients.push({ dist: d, c, runs: [] });
}
for (let r = 0; r < ROUNDS; r++) {
  const order = r % 2 === 0 ? clients : [...clients].reverse();
  for (const x of order) x.runs.push(await run(x.c));
}
console.log(`client CPU per command, ${OPS} ops × ${ROUNDS} rounds, 1000 in flight, SET/GET 100 B, one redis-server`);
for (const x of clients) {
  console.log(`${x.dist}: ${median(x.runs.map((r) => r.usPerOp)).toFixed(2)} µs/op CPU (median; ${x.runs.map((r) => r.usPerOp.toFixed(2)).join(' ')}), ${Math.round(median(x.runs.map((r) => r.opsPerSec)))} ops/s`);
}
if (clients.length === 2) {
  const [a, b] = clients.map((x) => median(x.runs.map((r) => r.usPerOp)));
  console.log(`ratio b/a: ${(b / a).toFixed(3)}`);
}
for (const x of clients) await x.c.close();
await redis.stop();
