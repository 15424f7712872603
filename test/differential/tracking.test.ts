/**
 * Differential test of client tracking (CLIENT TRACKING / CACHING / TRACKINGINFO / GETREDIR):
 * two or three clients per server run the same scripts and seeded random sequences against
 * ringcache-server and redis-server 7.0; every frame every client receives (replies, RESP3
 * invalidation pushes, RESP2 `__redis__:invalidate` messages, null invalidations, broken-redirect
 * pushes, error texts) is compared byte for byte.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Differential, Rng } from '../helpers/differential.js';
import { MultiDifferential } from '../helpers/multi-differential.js';
import { redisSkipReason, startRingcache } from '../helpers/processes.js';
import { RawClient } from '../helpers/raw-client.js';

const skip = redisSkipReason();

type Step = [number, string[]];
const s = (line: string): string[] => line.split(' ');

/** Default mode in RESP3: reads remembered, one invalidation per change, own writes after the reply, OPTIN/OPTOUT, NOLOOP. */
const DEFAULT_MODE: Step[] = [
  [0, s('CLIENT TRACKING on')],
  [0, s('GET k1')],
  [0, s('MGET k2 k3')],
  [1, s('SET k1 v')],
  [1, s('SET k1 v2')],
  [0, s('SET k3 x')],
  [1, s('DEL nokey')],
  [0, s('GET k1')],
  [2, s('DEL k1')],
  [0, s('EXISTS k2')],
  [0, s('STRLEN k4')],
  [1, s('MSET k2 a k4 b')],
  [2, s('LPUSH l a')],
  [0, s('GET l')],
  [2, s('RPUSH l b')],
  [0, s('GETRANGE k4 x y')],
  [2, s('APPEND k4 z')],
  [0, s('HGET h f')],
  [0, s('LRANGE l 0 -1')],
  [2, s('MULTI')],
  [2, s('HSET h f 1')],
  [2, s('RPOP l')],
  [2, s('EXEC')],
  [0, s('GET k5')],
  [0, s('MULTI')],
  [0, s('SET k5 1')],
  [0, s('GET k5')],
  [0, s('INCR k5')],
  [0, s('EXEC')],
  [0, s('CLIENT TRACKING on noloop')],
  [0, s('GET k6')],
  [0, s('SET k6 1')],
  [0, s('GET k6')],
  [1, s('SET k6 2')],
  [1, s('CLIENT TRACKING on optin')],
  [1, s('GET o1')],
  [1, s('CLIENT CACHING yes')],
  [1, s('GET o2')],
  [1, s('GET o3')],
  [2, s('MSET o1 1 o2 2 o3 3')],
  [1, s('CLIENT CACHING yes')],
  [1, s('CLIENT GETREDIR')],
  [1, s('GET o4')],
  [1, s('CLIENT CACHING yes')],
  [1, s('GETT x')],
  [1, s('GET o5')],
  [1, s('CLIENT CACHING yes')],
  [1, s('MULTI')],
  [1, s('GET o6')],
  [1, s('GET o7')],
  [1, s('EXEC')],
  [1, s('GET o8')],
  [1, s('CLIENT TRACKINGINFO')],
  [1, s('CLIENT CACHING yes')],
  [1, s('CLIENT TRACKINGINFO')],
  [2, s('MSET o4 1 o5 1 o6 1 o7 1 o8 1')],
  [1, s('CLIENT TRACKING on optout')],
  [1, s('CLIENT TRACKING off')],
  [1, s('CLIENT TRACKING on optout')],
  [1, s('GET p1')],
  [1, s('CLIENT CACHING no')],
  [1, s('GET p2')],
  [1, s('GET p3')],
  [2, s('MSET p1 1 p2 2 p3 3')],
  [1, s('CLIENT TRACKINGINFO')],
  [0, s('CLIENT TRACKINGINFO')],
  [0, s('CLIENT GETREDIR')],
  [2, s('CLIENT GETREDIR')],
  [2, s('CLIENT TRACKINGINFO')],
  [0, s('GET f1')],
  [1, s('GET f2')],
  [1, s('FLUSHALL')],
  [2, s('SET f1 1')],
  [0, s('GET f1')],
  [2, s('FLUSHDB')],
  [2, s('FLUSHDB')],
  [0, s('GET s1')],
  [2, s('SELECT 1')],
  [2, s('SET s1 x')],
  [2, s('SWAPDB 0 1')],
  [0, s('GET s1')],
  [0, s('CLIENT TRACKING off')],
  [2, s('SET s1 y')],
  [1, s('RESET')],
  [1, s('CLIENT TRACKINGINFO')],
];

/** RESP2 redirect to a subscriber, RESP2 without redirect, redirect to a non-subscriber, broken redirect. */
const REDIRECT: Step[] = [
  [0, s('SUBSCRIBE __redis__:invalidate')],
  [1, s('CLIENT TRACKING on REDIRECT {id0}')],
  [1, s('GET a')],
  [2, s('SET a 1')],
  [1, s('CLIENT GETREDIR')],
  [1, s('CLIENT TRACKINGINFO')],
  [1, s('GET b')],
  [1, s('FLUSHDB')],
  [2, s('CLIENT TRACKING on REDIRECT {id0} BCAST PREFIX user: PREFIX x')],
  [1, s('MSET user:1 a user:2 b other c x1 d')],
  [2, s('FLUSHALL')],
  [2, s('CLIENT TRACKINGINFO')],
  [1, s('CLIENT TRACKING off')],
  [1, s('CLIENT TRACKING on')],
  [1, s('GET q')],
  [2, s('SET q 1')],
  [0, s('UNSUBSCRIBE')],
  [2, s('CLIENT TRACKING off')],
  [2, s('CLIENT TRACKING on REDIRECT {id1}')],
  [2, s('GET r')],
  [0, s('SET r 1')],
  [1, s('CLIENT TRACKING off')],
  [1, s('SUBSCRIBE foo')],
  [2, s('GET r')],
  [0, s('SET r 2')],
  [2, s('GET r')],
  [0, s('FLUSHALL')],
  [0, s('CLIENT KILL ID {id1}')],
  [2, s('GET r')],
  [0, s('SET r 3')],
  [2, s('CLIENT TRACKINGINFO')],
  [2, s('GET r')],
  [2, s('SET r 4')],
  [2, s('CLIENT TRACKING on REDIRECT {id0}')],
  [2, s('CLIENT TRACKINGINFO')],
  [2, s('GET r')],
  [0, s('SET r 5')],
  [0, s('SUBSCRIBE __redis__:invalidate')],
  [2, s('GET r')],
  [2, s('SET r 6')],
  [2, s('FLUSHALL')],
];

/** BCAST with prefixes, batching per event-loop turn, NOLOOP, FLUSHALL, prefix errors. */
const BCAST: Step[] = [
  [0, s('CLIENT TRACKING on BCAST PREFIX user: PREFIX ab')],
  [1, s('CLIENT TRACKING on BCAST NOLOOP')],
  [2, s('MSET user:2 a user:1 b other c ab1 d')],
  [1, s('MSET user:3 a zz b')],
  [2, s('SET zz c')],
  [1, s('DEL user:3 nokey')],
  [2, s('DEL nokey')],
  [0, s('FLUSHALL')],
  [0, s('CLIENT TRACKING on BCAST PREFIX us')],
  [0, s('CLIENT TRACKING on BCAST PREFIX x PREFIX xy')],
  [0, s('CLIENT TRACKING on BCAST PREFIX y PREFIX user:')],
  [0, s('CLIENT TRACKING on BCAST PREFIX y')],
  [0, s('CLIENT TRACKING on')],
  [0, s('CLIENT TRACKINGINFO')],
  [2, s('MULTI')],
  [2, s('SET user:9 1')],
  [2, s('SET ab2 1')],
  [2, s('SET user:9 2')],
  [2, s('EXEC')],
  [2, s('EXPIRE ab2 100')],
  [2, s('PERSIST ab2')],
  [2, s('PERSIST ab2')],
  [2, s('CLIENT TRACKING on')],
  [2, s('GET user:9')],
  [2, s('SET user:9 2')],
  [1, s('CLIENT TRACKING on BCAST PREFIX q')],
  [1, s('CLIENT TRACKINGINFO')],
  [0, s('CLIENT TRACKING off')],
  [0, s('CLIENT TRACKINGINFO')],
  [2, s('RENAME user:9 ab9')],
  [0, s('CLIENT TRACKING on BCAST')],
  [2, s('INCR y1')],
  [0, s('CLIENT TRACKING on BCAST PREFIX z')],
];

/** Every error text of §5, and option parsing. */
const ERRORS: Step[] = [
  [0, s('CLIENT TRACKING on optin optout')],
  [0, s('CLIENT TRACKING on prefix a')],
  [0, s('CLIENT TRACKING on bcast optin')],
  [0, s('CLIENT TRACKING on bcast optin optout')],
  [0, s('CLIENT TRACKING on redirect 999999')],
  [0, s('CLIENT TRACKING on redirect abc')],
  [0, s('CLIENT TRACKING on redirect {id1} redirect {id1}')],
  [0, s('CLIENT TRACKING on bcast prefix a prefix ab')],
  [0, s('CLIENT TRACKING on bcast prefix ab prefix a')],
  [0, s('CLIENT TRACKING on bcast prefix a prefix a')],
  [0, s('CLIENT TRACKING on foo')],
  [0, s('CLIENT TRACKING on redirect')],
  [0, s('CLIENT TRACKING maybe')],
  [0, s('CLIENT TRACKING off foo')],
  [0, s('CLIENT TRACKING off bcast prefix a')],
  [0, s('CLIENT TRACKING')],
  [0, s('CLIENT CACHING yes')],
  [0, s('CLIENT CACHING maybe')],
  [0, s('CLIENT CACHING')],
  [0, s('CLIENT TRACKINGINFO x')],
  [0, s('CLIENT GETREDIR x')],
  [0, s('CLIENT TRACKING ON')],
  [0, s('CLIENT CACHING yes')],
  [0, s('CLIENT CACHING no')],
  [0, s('CLIENT TRACKING on bcast')],
  [0, s('CLIENT TRACKING on optin')],
  [0, s('CLIENT CACHING no')],
  [0, s('CLIENT CACHING YES')],
  [0, s('CLIENT TRACKING on optout')],
  [0, s('CLIENT TRACKINGINFO')],
  [0, s('CLIENT TRACKING off')],
  [0, s('CLIENT TRACKING on bcast prefix user:')],
  [0, s('CLIENT TRACKING on bcast prefix us')],
  [0, s('CLIENT TRACKING on bcast prefix x prefix user:')],
  [0, s('CLIENT TRACKING on bcast')],
  [0, s('CLIENT TRACKING on bcast noloop prefix z')],
  [0, s('CLIENT TRACKINGINFO')],
  [0, s('CLIENT TRACKING on redirect {id1} bcast')],
  [0, s('CLIENT TRACKINGINFO')],
  [0, s('CLIENT GETREDIR')],
];

async function runScript(d: Differential, protos: (2 | 3)[], script: Step[]): Promise<string> {
  const m = await MultiDifferential.open(d, protos);
  try {
    for (const [who, argv] of script) await m.step(who, argv);
  } finally {
    m.close();
  }
  return m.mismatches.join('\n');
}

const KEYS = ['k:a', 'k:b', 'k:c', 'u:a', 'u:b', 'h', 'l'];
const READS = ['GET', 'STRLEN', 'EXISTS', 'TYPE', 'MGET', 'HGET', 'LRANGE', 'TTL'];
const WRITES = ['SET', 'DEL', 'INCR', 'APPEND', 'EXPIRE', 'MSET', 'HSET', 'LPUSH', 'RPOP', 'RENAME', 'PERSIST'];

function randomRead(rng: Rng): string[] {
  const k = rng.pick(KEYS);
  switch (rng.pick(READS)) {
    case 'MGET':
      return ['MGET', k, rng.pick(KEYS)];
    case 'HGET':
      return ['HGET', k, 'f'];
    case 'LRANGE':
      return ['LRANGE', k, '0', '-1'];
    default:
      return [rng.pick(['GET', 'STRLEN', 'EXISTS', 'TYPE', 'TTL']), k];
  }
}

function randomWrite(rng: Rng): string[] {
  const k = rng.pick(KEYS);
  switch (rng.pick(WRITES)) {
    case 'SET':
      return ['SET', k, String(rng.int(0, 9))];
    case 'DEL':
      return ['DEL', k, rng.pick(KEYS)];
    case 'INCR':
      return ['INCR', k];
    case 'APPEND':
      return ['APPEND', k, 'x'];
    case 'EXPIRE':
      return ['EXPIRE', k, '1000'];
    case 'MSET':
      return ['MSET', k, '1', rng.pick(KEYS), '2'];
    case 'HSET':
      return ['HSET', k, 'f', 'v'];
    case 'LPUSH':
      return ['LPUSH', k, 'a'];
    case 'RPOP':
      return ['RPOP', k];
    case 'RENAME':
      return ['RENAME', k, rng.pick(KEYS)];
    default:
      return ['PERSIST', k];
  }
}

/** Tracking set-ups for the random runs: [protocols, set-up steps]. */
const SETUPS: [(2 | 3)[], Step[]][] = [
  [[3, 3, 2], [[0, s('CLIENT TRACKING on')], [1, s('CLIENT TRACKING on OPTIN')]]],
  [[2, 3, 3], [[0, s('SUBSCRIBE __redis__:invalidate')], [1, s('CLIENT TRACKING on REDIRECT {id0} OPTOUT NOLOOP')], [2, s('CLIENT TRACKING on BCAST PREFIX k: PREFIX h NOLOOP')]]],
  [[3, 2, 3], [[0, s('CLIENT TRACKING on BCAST')], [1, s('CLIENT TRACKING on')], [2, s('CLIENT TRACKING on NOLOOP')]]],
];

function randomStep(rng: Rng, subscribed: number | null): Step {
  let who = rng.int(0, 2);
  if (who === subscribed) who = (who + 1) % 3;
  const r = rng.next();
  if (r < 0.45) return [who, randomRead(rng)];
  if (r < 0.9) return [who, randomWrite(rng)];
  if (r < 0.94) return [who, ['CLIENT', 'CACHING', rng.pick(['yes', 'no'])]];
  if (r < 0.97) return [who, ['CLIENT', 'TRACKINGINFO']];
  return [who, [rng.pick(['FLUSHDB', 'FLUSHALL'])]];
}

describe.skipIf(skip !== null)('differential: client tracking vs redis-server', () => {
  let d: Differential;
  beforeAll(async () => {
    d = await Differential.start();
  });
  afterAll(async () => {
    await d?.stop();
  });

  it('default mode (RESP3): reads, writes, OPTIN, OPTOUT, NOLOOP, MULTI, flushes', async () => {
    expect(await runScript(d, [3, 3, 2], DEFAULT_MODE)).toBe('');
  });

  it('REDIRECT: RESP2 subscriber, RESP2 without redirect, broken redirect', async () => {
    expect(await runScript(d, [2, 2, 3], REDIRECT)).toBe('');
  });

  it('BCAST: prefixes, batching, NOLOOP, FLUSHALL', async () => {
    expect(await runScript(d, [3, 3, 3], BCAST)).toBe('');
  });

  it('error texts and option parsing (RESP2 and RESP3)', async () => {
    expect(await runScript(d, [2, 2], ERRORS)).toBe('');
    expect(await runScript(d, [3, 3], ERRORS)).toBe('');
  });

  it('expiry invalidates the readers and BCAST clients', async () => {
    const m = await MultiDifferential.open(d, [3, 2, 3]);
    try {
      await m.step(0, s('CLIENT TRACKING on'));
      await m.step(2, s('CLIENT TRACKING on BCAST PREFIX e'));
      await m.step(1, s('SET e1 v PX 100'));
      await m.step(0, s('GET e1'));
      await new Promise((r) => setTimeout(r, 250));
      // Active or lazy, the deletions reach both trackers before these steps complete.
      await m.step(1, s('GET e1'));
      await m.step(0, s('GET e1'));
    } finally {
      m.close();
    }
    expect(m.mismatches.join('\n')).toBe('');
  });

  for (let i = 0; i < SETUPS.length; i++) {
    for (const seed of [11, 12]) {
      it(`random sequence, set-up ${i}, seed ${seed}`, async () => {
        const [protos, setup] = SETUPS[i]!;
        const m = await MultiDifferential.open(d, protos);
        const subscribed = setup.find(([, argv]) => argv[0] === 'SUBSCRIBE')?.[0] ?? null;
        try {
          for (const [who, argv] of setup) await m.step(who, argv);
          const rng = new Rng(seed * 100 + i);
          for (let n = 0; n < 150; n++) {
            const [who, argv] = randomStep(rng, subscribed);
            await m.step(who, argv);
          }
        } finally {
          m.close();
        }
        expect(m.mismatches.slice(0, 3).join('\n')).toBe('');
      });
    }
  }
});

/** What Redis does at random (which key the size limit drops) is deterministic here: the oldest. */
describe('client tracking on ringcache-server alone', () => {
  it('tracking-table-max-keys drops the oldest key with an invalidation; INFO and CLIENT LIST report tracking', async () => {
    const node = await startRingcache({ args: { 'tracking-table-max-keys': 2 } });
    const a = await RawClient.connect(node.port);
    const b = await RawClient.connect(node.port);
    try {
      await a.call('HELLO', '3');
      expect(await a.call('CLIENT', 'TRACKING', 'on')).toBe('+OK\r\n');
      await a.call('GET', 'k1');
      await a.call('GET', 'k2');
      expect(await a.call('GET', 'k3')).toBe('_\r\n');
      expect((await a.next()).toString('latin1')).toBe('>2\r\n$10\r\ninvalidate\r\n*1\r\n$2\r\nk1\r\n');
      const info = await b.call('INFO', 'everything');
      expect(info).toContain('tracking_clients:1\r\n');
      expect(info).toContain('tracking_total_keys:2\r\n');
      expect(info).toContain('tracking_total_items:2\r\n');
      expect(info).toContain('tracking_total_prefixes:0\r\n');
      await b.call('HELLO', '3');
      expect(await b.call('CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'x', 'REDIRECT', '999').then(String)).toContain('does not exist');
      expect(await b.call('CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'x')).toBe('+OK\r\n');
      const list = await b.call('CLIENT', 'LIST');
      expect(list).toMatch(/flags=t .*redir=0/);
      expect(list).toMatch(/flags=tB /);
      expect(await b.call('INFO', 'stats')).toContain('tracking_total_prefixes:1\r\n');
    } finally {
      a.close();
      b.close();
      await node.stop();
    }
  });
});
