// A consumer-group worker, run as its own process (node worker.mjs <consumer> <shards-json>):
// - first takes over entries another consumer left pending too long (XAUTOCLAIM: a crashed
//   worker's messages), then reads new ones (XREADGROUP >, BLOCK on a leased connection);
// - processes each order exactly once: in one MULTI on the stream's shard (keys share the
//   {orders} hash tag) it records the order with HSETNX and acknowledges it with XACK, so a
//   redelivered order is acknowledged again but never applied twice;
// - CRASH_AFTER=n: after n orders it reads a batch and dies (SIGKILL) without acknowledging it,
//   leaving those entries pending for the others to claim.
// Reports one JSON line on stdout when it stops (SIGTERM).
import { RingClient } from 'ringcache';
import { GROUP, PROCESSED, STREAM } from './keys.mjs';

const consumer = process.argv[2];
const shards = JSON.parse(process.argv[3]);
const crashAfter = Number(process.env.CRASH_AFTER ?? 0);
const CLAIM_IDLE_MS = 1000;

const client = new RingClient({ shards, commandTimeoutMs: 5000 });
let running = true;
const stats = { consumer, applied: 0, duplicates: 0, claimed: 0 };
process.on('SIGTERM', () => (running = false));

async function commit(entry) {
  const replies = await client
    .multi()
    .call('HSETNX', PROCESSED, entry.fields.orderId, `${consumer}:${entry.fields.amountCents}`)
    .call('XACK', STREAM, GROUP, entry.id)
    .exec();
  if (replies?.[0] === 1) stats.applied++;
  else stats.duplicates++;
}

async function loop() {
  let cursor = '0-0';
  while (running) {
    const claimed = await client.xautoclaim(STREAM, GROUP, consumer, CLAIM_IDLE_MS, cursor, { count: 20 });
    cursor = claimed.next;
    stats.claimed += claimed.claimed.length;
    for (const entry of claimed.claimed) await commit(entry);
    const read = await client.xreadgroup(GROUP, consumer, { [STREAM]: '>' }, { count: 10, block: 200 });
    const batch = read?.[0]?.entries ?? [];
    if (crashAfter > 0 && stats.applied >= crashAfter && batch.length > 0) {
      process.kill(process.pid, 'SIGKILL'); // crash holding `batch` unacknowledged
    }
    for (const entry of batch) await commit(entry);
  }
}

await loop();
await client.close();
process.stdout.write(`${JSON.stringify(stats)}\n`);
