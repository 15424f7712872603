// A distributed lock over a fleet of three ringcache-server nodes, with fencing tokens.
//
// acquire: one script does SET lock NX PX ttl and, when it got the lock, INCR of the resource's
//          fencing counter — the token (lock and counter share a {hash tag}, so one shard owns both);
// release: "if the lock still holds my random value then DEL" in one script, never a GET then DEL;
// extend:  the same check, then PEXPIRE.
// A fake storage service accepts a write only with a fencing token at least as high as the highest
// it has seen. Part 1: 20 workers increment a shared counter under the lock; no update may be lost.
// Part 2: a holder pauses (think GC) past its lease, another client takes the lock, and the paused
// holder's late write is refused by its stale token, its release refused by the token check.
// Exits 0 when every check holds, 1 otherwise.
import { randomBytes } from 'node:crypto';
import { RingClient } from 'ringcache';
import { startFleet } from '../cache-aside/fleet.mjs';
import { Checks } from '../shared/checks.mjs';

const ACQUIRE = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return redis.call('INCR', KEYS[2])
end
return false`;
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
const EXTEND = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class Lock {
  constructor(client, resource) {
    this.keys = [`lock:{${resource}}`, `fence:{${resource}}`];
    this.acquireScript = client.script(ACQUIRE);
    this.releaseScript = client.script(RELEASE);
    this.extendScript = client.script(EXTEND);
  }

  /** Tries until `waitMs` passes; resolves to { value, token } or null. */
  async acquire(ttlMs, waitMs = 5000) {
    const value = randomBytes(16).toString('hex');
    const until = Date.now() + waitMs;
    for (let delay = 2; Date.now() < until; delay = Math.min(delay * 2, 50)) {
      const token = await this.acquireScript.run(this.keys, [value, ttlMs]);
      if (token !== null) return { value, token: Number(token) };
      await sleep(delay * Math.random());
    }
    return null;
  }

  async release(held) {
    return Number(await this.releaseScript.run(this.keys.slice(0, 1), [held.value])) === 1;
  }

  async extend(held, ttlMs) {
    return Number(await this.extendScript.run(this.keys.slice(0, 1), [held.value, ttlMs])) === 1;
  }
}

/** The storage behind the lock: refuses a write whose fencing token is older than one it saw. */
class FencedStorage {
  highest = 0;
  counter = 0;
  refused = 0;

  write(token, fn) {
    if (token < this.highest) {
      this.refused++;
      return false;
    }
    this.highest = token;
    fn(this);
    return true;
  }
}

const checks = new Checks('distributed lock');
const check = (ok, what) => checks.check(ok, what);

const nodes = await startFleet(3);
const client = new RingClient({ shards: nodes.map((n, i) => ({ name: `lock-${i}`, master: `127.0.0.1:${n.port}` })) });
try {
  // --- part 1: mutual exclusion under contention -------------------------------------------------
  const storage = new FencedStorage();
  const lock = new Lock(client, 'inventory');
  const WORKERS = 20;
  const ROUNDS = 10;
  let inside = 0;
  let overlap = 0;
  let acquired = 0;
  await Promise.all(
    Array.from({ length: WORKERS }, async () => {
      for (let r = 0; r < ROUNDS; r++) {
        const held = await lock.acquire(2000, 30_000);
        if (held === null) continue;
        acquired++;
        if (++inside > 1) overlap++;
        // Read-modify-write with an await in the middle: without the lock, updates would be lost.
        const seen = storage.counter;
        await sleep(1);
        storage.write(held.token, (s) => (s.counter = seen + 1));
        inside--;
        await lock.release(held);
      }
    }),
  );
  console.log(`part 1: ${WORKERS} workers × ${ROUNDS} rounds; lock on shard ${client.locate(lock.keys[0])}; counter ${storage.counter}`);
  check(acquired === WORKERS * ROUNDS, `every worker got the lock each round (${acquired}/${WORKERS * ROUNDS})`);
  check(overlap === 0, 'never two holders at once');
  check(storage.counter === acquired, 'no update lost');

  // --- part 2: a paused holder loses its lease ---------------------------------------------------
  const fenced = new FencedStorage();
  const res = new Lock(client, 'report');
  const a = await res.acquire(150);
  check(a !== null, `A holds the lock, token ${a?.token}`);
  check(await res.extend(a, 200), 'A extends its lease while still the holder');
  await sleep(400); // A is paused past its lease
  const b = await res.acquire(5000);
  check(b !== null && b.token > a.token, `B took the expired lock with a higher token (${b?.token} > ${a.token})`);
  check(fenced.write(b.token, (s) => (s.counter = 42)), 'B writes with its token');
  check(!fenced.write(a.token, (s) => (s.counter = -1)), 'A wakes up: its write with the old token is refused');
  check(!(await res.release(a)), "A's release is refused: the lock holds B's value");
  check(!(await res.extend(a, 1000)), "A's extend is refused too");
  check(await res.release(b), 'B releases');
  check(fenced.counter === 42, 'the storage kept B\'s write only');
} finally {
  await client.close();
  await Promise.all(nodes.map((n) => n.stop()));
}
checks.finish();
