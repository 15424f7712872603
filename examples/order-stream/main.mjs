// Order processing on a stream with a consumer group, over a local fleet of two ringcache-server
// nodes it starts itself:
//   - a producer appends ORDERS orders;
//   - two workers (separate processes) consume them through the group: worker-1 alone first, until
//     it crashes (SIGKILL) holding a batch it never acknowledged; then worker-2 takes that batch
//     over with XAUTOCLAIM once it has been idle for a second, and processes the rest;
//   - at the end every order must have been applied exactly once (the processed-orders hash holds
//     each order once, with its amount), nothing may be left pending, and the crash must have been
//     recovered by a claim.
// Exits 0 when all of that holds, 1 otherwise. `npm run build` first (it imports 'ringcache').
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RingClient } from 'ringcache';
import { startFleet } from '../cache-aside/fleet.mjs';
import { GROUP, PROCESSED, STREAM } from './keys.mjs';
import { produceOrders } from './producer.mjs';

const ORDERS = Number(process.env.DEMO_ORDERS ?? 500);
const here = dirname(fileURLToPath(import.meta.url));

const nodes = await startFleet(2);
const shards = nodes.map((n, i) => ({ name: `node-${i}`, master: `127.0.0.1:${n.port}` }));
const client = new RingClient({ shards, commandTimeoutMs: 5000 });

function startWorker(name, env = {}) {
  const child = spawn(process.execPath, [join(here, 'worker.mjs'), name, JSON.stringify(shards)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, report: out.trim() ? JSON.parse(out.trim()) : null })));
  return { child, exited };
}

async function waitFor(check, timeoutMs) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

let ok = false;
try {
  await client.xgroupCreate(STREAM, GROUP, '$', { mkstream: true });
  // worker-1 is the group's only consumer until it crashes, so it surely applies its share and
  // dies holding a batch; worker-2 then claims that batch back and takes the rest.
  const w1 = startWorker('worker-1', { CRASH_AFTER: String(Math.floor(ORDERS / 10)) });
  const produced = await produceOrders(client, STREAM, ORDERS);
  const crashed = await w1.exited;
  const w2 = startWorker('worker-2');
  const done = await waitFor(async () => (await client.call('HLEN', PROCESSED)) === ORDERS, 60_000);
  w2.child.kill('SIGTERM');
  const survivor = await w2.exited;

  const processed = await client.call('HGETALL', PROCESSED);
  const pairs = processed instanceof Map ? [...processed] : Array.from({ length: processed.length / 2 }, (_, i) => [processed[2 * i], processed[2 * i + 1]]);
  const byOrder = new Map(pairs.map(([k, v]) => [String(k), String(v)]));
  const pending = await client.xpending(STREAM, GROUP);
  const wrongAmount = [...produced.values()].filter((o) => byOrder.get(o.orderId)?.split(':')[1] !== o.amountCents);
  const perWorker = {};
  for (const v of byOrder.values()) perWorker[v.split(':')[0]] = (perWorker[v.split(':')[0]] ?? 0) + 1;

  console.log(`orders produced: ${produced.size}; applied: ${byOrder.size} (${Object.entries(perWorker).map(([w, n]) => `${w} ${n}`).join(', ')})`);
  console.log(`worker-1 ${crashed.signal === 'SIGKILL' ? 'crashed (SIGKILL) holding unacknowledged orders' : `exited ${crashed.code}`}`);
  console.log(`worker-2: ${survivor.report?.claimed ?? 0} orders claimed back with XAUTOCLAIM, ${survivor.report?.duplicates ?? 0} redeliveries recognised and not applied again`);
  console.log(`pending after the run: ${pending.count}`);
  ok = done && byOrder.size === ORDERS && wrongAmount.length === 0 && pending.count === 0 && crashed.signal === 'SIGKILL' && (survivor.report?.claimed ?? 0) > 0;
  console.log(ok ? 'exactly-once: OK' : 'exactly-once: FAILED');
} catch (err) {
  console.error(err);
} finally {
  await client.close();
  await Promise.all(nodes.map((n) => n.stop()));
}
process.exit(ok ? 0 : 1);
