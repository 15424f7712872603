// Rate limiting in Lua over a fleet of three ringcache-server nodes: a token bucket and a sliding
// window, one key per user, the keys spread over the ring.
//
// token bucket:   a hash {tokens, ts}; refill by elapsed time × rate up to the capacity, then take
//                 one token or refuse — one script, so concurrent callers never overspend;
// sliding window: a sorted set of request times; drop those older than the window, count, add —
//                 one script again.
// Both read the clock with redis.call('TIME') inside the script, so every caller shares the node's
// clock. 1,000 concurrent callers hit 40 users (25 requests each against a limit of 20); the check: no user is ever allowed more
// than its limit, and users who asked for more than the limit got exactly the limit.
// Exits 0 when every check holds, 1 otherwise.
import { RingClient } from 'ringcache';
import { startFleet } from '../cache-aside/fleet.mjs';
import { Checks } from '../shared/checks.mjs';

const TOKEN_BUCKET = `
local capacity = tonumber(ARGV[1])
local per_second = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or capacity
local ts = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + (now - ts) * per_second / 1000)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / math.max(per_second, 0.001) * 1000) + 1000)
return allowed`;

const SLIDING_WINDOW = `
local window_ms = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window_ms)
if redis.call('ZCARD', KEYS[1]) >= limit then return 0 end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window_ms)
return 1`;

const USERS = 40;
const CALLERS = 1000;
const LIMIT = 20;

const checks = new Checks('rate limiter');
const check = (ok, what) => checks.check(ok, what);

/** Fires CALLERS concurrent requests spread evenly over USERS. */
async function burst(limiter) {
  const asked = new Array(USERS).fill(0);
  const allowed = new Array(USERS).fill(0);
  const requests = [];
  for (let i = 0; i < CALLERS; i++) {
    const user = (i * 7) % USERS;
    asked[user]++;
    requests.push(limiter(user, i).then((ok) => {
      if (Number(ok) === 1) allowed[user]++;
    }));
  }
  await Promise.all(requests);
  return { asked, allowed };
}

function report(name, { asked, allowed }) {
  const over = allowed.filter((n) => n > LIMIT).length;
  const exact = asked.every((n, u) => allowed[u] === Math.min(n, LIMIT));
  const total = allowed.reduce((a, b) => a + b, 0);
  const expected = asked.reduce((a, n) => a + Math.min(n, LIMIT), 0);
  console.log(`${name}: ${CALLERS} concurrent requests over ${USERS} users, limit ${LIMIT}: ${total} allowed (expected ${expected}, accuracy ${((100 * total) / expected).toFixed(1)}%)`);
  check(over === 0, `${name}: no user went over the limit`);
  check(exact, `${name}: every user got exactly min(requests, limit)`);
}

const nodes = await startFleet(3);
const client = new RingClient({ shards: nodes.map((n, i) => ({ name: `rl-${i}`, master: `127.0.0.1:${n.port}` })), pool: { size: 8 } });
try {
  const spread = {};
  for (let u = 0; u < USERS; u++) spread[client.locate(`rl:bucket:user:${u}`)] = (spread[client.locate(`rl:bucket:user:${u}`)] ?? 0) + 1;
  console.log(`user keys per shard: ${JSON.stringify(spread)}`);
  check(Object.keys(spread).length === 3, 'the users are spread over the three shards');

  // A bucket of LIMIT tokens refilling at 1 token per 100 s: the burst sees only the capacity.
  const bucket = client.script(TOKEN_BUCKET);
  report('token bucket', await burst((user) => bucket.run([`rl:bucket:user:${user}`], [LIMIT, 0.01])));

  // A window of 60 s: the burst fits in one window.
  const windowed = client.script(SLIDING_WINDOW);
  report('sliding window', await burst((user, i) => windowed.run([`rl:window:user:${user}`], [60_000, LIMIT, `req-${i}`])));

  // Refill: a drained bucket refuses at once and, at 1 token per second, allows again 1.2 s later.
  const slow = [`rl:refill:user:0`];
  let drained = 0;
  while (drained < 1000 && Number(await bucket.run(slow, [LIMIT, 1])) === 1) drained++;
  const refusedAtOnce = Number(await bucket.run(slow, [LIMIT, 1])) === 0;
  await new Promise((r) => setTimeout(r, 1200));
  const allowedLater = Number(await bucket.run(slow, [LIMIT, 1])) === 1;
  console.log(`refill: drained after ${drained} requests; refused at once: ${refusedAtOnce}; allowed 1.2 s later: ${allowedLater}`);
  check(drained >= LIMIT && refusedAtOnce && allowedLater, 'the bucket refills at its rate');
} finally {
  await client.close();
  await Promise.all(nodes.map((n) => n.stop()));
}
checks.finish();
