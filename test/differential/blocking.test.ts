/**
 * Differential test of blocking commands with three clients per server: the same script runs
 * against ringcache-server and redis-server, and after each step every frame each client received
 * is compared byte for byte — immediate answers, wake-ups by pushes from another client (FIFO per
 * key), wake-ups through MULTI/EXEC and RENAME, non-blocking behaviour inside MULTI, timeouts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Differential } from '../helpers/differential.js';
import { redisSkipReason } from '../helpers/processes.js';
import { RawClient } from '../helpers/raw-client.js';

const skip = redisSkipReason();

type Step = [0 | 1 | 2, string[]] | ['sleep', number];

const SCRIPT: Step[] = [
  [0, ['RPUSH', 'l', 'a', 'b']],
  [0, ['BLPOP', 'none', 'l', '0']],
  [0, ['BRPOP', 'l', '0']],
  [0, ['BLPOP', 'l', 'x']],
  [0, ['BLPOP', 'l', '-1']],
  [0, ['SET', 's', 'v']],
  [0, ['BLPOP', 's', 'l', '0']],
  [1, ['BLPOP', 'q', '0']],
  [2, ['BLPOP', 'q', 'r', '0']],
  [0, ['RPUSH', 'q', '1']],
  [0, ['RPUSH', 'q', '2', '3']],
  [0, ['LRANGE', 'q', '0', '-1']],
  [1, ['BRPOPLPUSH', 'src', 'dst', '0']],
  [0, ['MULTI']], [0, ['RPUSH', 'src', 'm1']], [0, ['RPUSH', 'src', 'm2']], [0, ['EXEC']],
  [0, ['LRANGE', 'dst', '0', '-1']],
  [2, ['BLMOVE', 'from', 'to', 'LEFT', 'RIGHT', '0']],
  [0, ['RPUSH', 'tmp', 'x']], [0, ['RENAME', 'tmp', 'from']],
  [1, ['BLMPOP', '0', '2', 'e1', 'e2', 'RIGHT', 'COUNT', '2']],
  [0, ['RPUSH', 'e2', 'p', 'q', 'r']],
  [0, ['MULTI']], [0, ['BLPOP', 'nothing', '0']], [0, ['BZPOPMIN', 'nothing', '0']], [0, ['EXEC']],
  [1, ['BZPOPMIN', 'z', '0']],
  [2, ['BZPOPMAX', 'z', '0']],
  [0, ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c']],
  [0, ['ZRANGE', 'z', '0', '-1', 'WITHSCORES']],
  [1, ['BZMPOP', '0', '1', 'z2', 'MAX', 'COUNT', '5']],
  [0, ['ZADD', 'z2', '5', 'x', '6', 'y']],
  // Timeouts: long enough that both servers answer inside the following wait (Redis checks
  // timeouts on its 100 ms cron; ringcache's timers are exact).
  [1, ['BLPOP', 'slow', '0.3']],
  ['sleep', 600],
  [2, ['BZPOPMIN', 'slow', '0.3']],
  ['sleep', 600],
  [1, ['BLMPOP', '0', '0', 'k', 'LEFT']],
  [1, ['BLMPOP', '0', '1', 'k', 'UP']],
  [1, ['BZMPOP', 'x', '1', 'k', 'MIN']],
  [0, ['INFO', 'clients']],
];

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The frames a client has received so far (next() resolves at once for each). */
async function take(c: RawClient): Promise<string[]> {
  const out: string[] = [];
  for (let n = c.pending; n > 0; n--) out.push((await c.next()).toString('latin1'));
  return out;
}

/**
 * What one client of each server received after a step. Blocked clients cannot be pinged, so this
 * waits: at least 20 ms, then (bounded, 2 s) until both sides hold as many frames — a slow machine
 * delays a reply, it does not fake a mismatch — then 10 ms more for any extra frame.
 */
async function drainPair(a: RawClient, b: RawClient): Promise<[string[], string[]]> {
  await sleep(20);
  for (let waited = 0; a.pending !== b.pending && waited < 2000; waited += 5) await sleep(5);
  if (a.pending > 0 || b.pending > 0) await sleep(10);
  return [await take(a), await take(b)];
}

/** INFO differs in unrelated fields: keep only the blocked_clients line. */
function clean(frames: string[]): string[] {
  return frames.map((f) => (f.includes('# Clients') ? (/blocked_clients:\d+/.exec(f)?.[0] ?? f) : f));
}

describe.skipIf(skip !== null)('differential: blocking commands vs redis-server', () => {
  let d: Differential;
  beforeAll(async () => {
    d = await Differential.start();
  });
  afterAll(async () => {
    await d?.stop();
  });

  for (const proto of [2, 3] as const) {
    it(`RESP${proto}: wake-ups, FIFO order, timeouts and MULTI behave as in Redis`, async () => {
      const ours = await Promise.all([0, 1, 2].map(() => RawClient.connect(d.ours.port)));
      const theirs = await Promise.all([0, 1, 2].map(() => RawClient.connect(d.redis.port)));
      await ours[0]!.call('FLUSHALL');
      await theirs[0]!.call('FLUSHALL');
      if (proto === 3) for (const c of [...ours, ...theirs]) await c.call('HELLO', '3');
      const mismatches: string[] = [];
      for (const step of SCRIPT) {
        if (step[0] === 'sleep') {
          await new Promise((r) => setTimeout(r, step[1]));
        } else {
          const [who, cmd] = step;
          ours[who]!.send(cmd);
          theirs[who]!.send(cmd);
        }
        for (let i = 0; i < 3; i++) {
          const [a, b] = await drainPair(ours[i]!, theirs[i]!);
          if (JSON.stringify(clean(a)) !== JSON.stringify(clean(b))) {
            mismatches.push(`after ${JSON.stringify(step)} — client ${i}\n  ringcache: ${JSON.stringify(a)}\n  redis:     ${JSON.stringify(b)}`);
          }
        }
      }
      for (const c of [...ours, ...theirs]) c.close();
      expect(mismatches.join('\n')).toBe('');
    });
  }

  it('a blocked client that disconnects leaves no trace', async () => {
    const a = await RawClient.connect(d.ours.port);
    a.send(['BLPOP', 'gone', '0']);
    await new Promise((r) => setTimeout(r, 30));
    const b = await RawClient.connect(d.ours.port);
    expect(await b.call('INFO', 'clients')).toMatch(/blocked_clients:1\r\n/);
    a.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(await b.call('INFO', 'clients')).toMatch(/blocked_clients:0\r\n/);
    expect(await b.call('RPUSH', 'gone', 'x')).toBe(':1\r\n');
    expect(await b.call('LLEN', 'gone')).toBe(':1\r\n');
    b.close();
  });
});
