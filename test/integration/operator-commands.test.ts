/**
 * Operator commands on a real ringcache-server: CLIENT PAUSE WRITE|ALL / UNPAUSE (postponed
 * commands, blocked_clients, expiry held), CLIENT UNBLOCK TIMEOUT|ERROR, CLIENT NO-EVICT, the
 * latency monitor (LATEST/HISTORY/GRAPH/DOCTOR/RESET, HISTOGRAM), SLOWLOG of a served BLPOP,
 * INFO commandstats timings and errorstats.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/raw-client.js';
import { until } from '../helpers/poll.js';
import { startRingcache, type ServerProcess } from '../helpers/processes.js';

let srv: ServerProcess;
const open: RawClient[] = [];

async function client(): Promise<RawClient> {
  const c = await RawClient.connect(srv.port);
  open.push(c);
  return c;
}

function field(info: string, name: string): string {
  return new RegExp(`${name}:([^\\r]*)`).exec(info)?.[1] ?? '';
}

beforeAll(async () => {
  srv = await startRingcache({ args: { 'enable-debug-command': 'yes' } });
});
afterAll(async () => {
  for (const c of open) c.close();
  await srv?.stop();
});

describe('CLIENT PAUSE / UNPAUSE', () => {
  it('WRITE holds writes, PUBLISH and EXEC with writes but serves reads; UNPAUSE runs them in order', async () => {
    const admin = await client();
    const writer = await client();
    const reader = await client();
    const tx = await client();
    expect(await tx.call('MULTI')).toBe('+OK\r\n');
    expect(await tx.call('INCR', 'counter')).toBe('+QUEUED\r\n');
    expect(await admin.call('CLIENT', 'PAUSE', '100000', 'WRITE')).toBe('+OK\r\n');
    writer.send(['SET', 'p', '1']);
    writer.send(['GET', 'p']);
    tx.send(['EXEC']);
    await until('two clients postponed', async () => field(await admin.call('INFO', 'clients'), 'blocked_clients') === '2', 5_000, 25);
    expect(await reader.call('GET', 'p')).toBe('$-1\r\n');
    expect(await reader.call('MULTI')).toBe('+OK\r\n');
    expect(await reader.call('GET', 'p')).toBe('+QUEUED\r\n');
    expect(await reader.call('EXEC')).toBe('*1\r\n$-1\r\n');
    expect(await admin.call('CLIENT', 'LIST', 'ID', '1')).not.toMatch(/flags=b/);
    expect(await admin.call('CLIENT', 'UNPAUSE')).toBe('+OK\r\n');
    expect((await writer.next()).toString()).toBe('+OK\r\n');
    expect((await writer.next()).toString()).toBe('$1\r\n1\r\n');
    expect((await tx.next()).toString()).toBe('*1\r\n:1\r\n');
  });

  it('ALL holds every command until the pause times out by itself; expiry waits too', async () => {
    const admin = await client();
    const other = await client();
    expect(await admin.call('SET', 'ttl', 'v', 'PX', '50')).toBe('+OK\r\n');
    const expiredBefore = field(await admin.call('INFO', 'stats'), 'expired_keys');
    expect(await admin.call('CLIENT', 'PAUSE', '400', 'ALL')).toBe('+OK\r\n');
    const t0 = Date.now();
    other.send(['PING']);
    // The caller itself is paused too (Redis pauses every client but replicas).
    await expect(other.next(150)).rejects.toThrow(/no reply/);
    expect((await other.next(5000)).toString()).toBe('+PONG\r\n');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    // The key expired during the pause: it reads as missing now that the pause is over, and is
    // deleted (counted) only now.
    expect(await admin.call('GET', 'ttl')).toBe('$-1\r\n');
    expect(Number(field(await admin.call('INFO', 'stats'), 'expired_keys'))).toBe(Number(expiredBefore) + 1);
  });
});

describe('CLIENT UNBLOCK and NO-EVICT', () => {
  it('unblocks a BLPOP with a null (TIMEOUT) or -UNBLOCKED (ERROR); 0 for a client not blocked', async () => {
    const admin = await client();
    const b = await client();
    const id = (await b.call('CLIENT', 'ID')).slice(1, -2);
    b.send(['BLPOP', 'nothing', '0']);
    await until('BLPOP blocked', async () => field(await admin.call('INFO', 'clients'), 'blocked_clients') === '1', 5_000, 25);
    expect(await admin.call('CLIENT', 'UNBLOCK', id)).toBe(':1\r\n');
    expect((await b.next()).toString()).toBe('*-1\r\n');
    b.send(['BLPOP', 'nothing', '0']);
    await until('BLPOP blocked again', async () => field(await admin.call('INFO', 'clients'), 'blocked_clients') === '1', 5_000, 25);
    expect(await admin.call('CLIENT', 'UNBLOCK', id, 'ERROR')).toBe(':1\r\n');
    expect((await b.next()).toString()).toBe('-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n');
    expect(await admin.call('CLIENT', 'UNBLOCK', id)).toBe(':0\r\n');
    expect(await b.call('CLIENT', 'NO-EVICT', 'on')).toBe('+OK\r\n');
    expect(await b.call('CLIENT', 'INFO')).toMatch(/flags=e /);
  });
});

describe('latency monitor, SLOWLOG of blocked commands, INFO timings', () => {
  it('records command spikes over the threshold; LATEST, HISTORY, GRAPH, DOCTOR, RESET', async () => {
    const c = await client();
    expect(await c.call('LATENCY', 'DOCTOR')).toMatch(/Latency monitoring is disabled/);
    expect(await c.call('CONFIG', 'SET', 'latency-monitor-threshold', '20')).toBe('+OK\r\n');
    expect(await c.call('DEBUG', 'SLEEP', '0.05')).toBe('+OK\r\n');
    const latest = await c.call('LATENCY', 'LATEST');
    const m = /^\*1\r\n\*4\r\n\$7\r\ncommand\r\n:(\d+)\r\n:(\d+)\r\n:(\d+)\r\n$/.exec(latest);
    expect(m, latest).not.toBeNull();
    expect(Number(m![2])).toBeGreaterThanOrEqual(50);
    expect(Math.abs(Number(m![1]) - Date.now() / 1000)).toBeLessThan(5);
    expect(await c.call('LATENCY', 'HISTORY', 'command')).toMatch(/^\*1\r\n\*2\r\n:\d+\r\n:\d+\r\n$/);
    // One sample: Redis's sparkline draws it at the bottom row, with its age (0s) below.
    expect(await c.call('LATENCY', 'GRAPH', 'command')).toMatch(/command - high (\d+) ms, low \1 ms \(all time high \1 ms\)\n-{80}\n \n \n \n_\n \n[0-9]\ns\n\r\n$/);
    expect(await c.call('LATENCY', 'DOCTOR')).toMatch(/1\. command: 1 latency spikes \(average \d+ms, mean deviation 0ms, period 1\.00 sec\)/);
    expect(await c.call('LATENCY', 'RESET', 'COMMAND')).toBe(':1\r\n');
    expect(await c.call('LATENCY', 'LATEST')).toBe('*0\r\n');
    expect(await c.call('CONFIG', 'SET', 'latency-monitor-threshold', '0')).toBe('+OK\r\n');
  });

  it('LATENCY HISTOGRAM: calls and cumulative power-of-two buckets per command', async () => {
    const c = await client();
    expect(await c.call('CONFIG', 'RESETSTAT')).toBe('+OK\r\n');
    for (let i = 0; i < 5; i++) await c.call('SET', 'h', String(i));
    await c.call('DEBUG', 'SLEEP', '0.003');
    const set = await c.call('LATENCY', 'HISTOGRAM', 'set');
    expect(set).toMatch(/^\*2\r\n\$3\r\nset\r\n\*4\r\n\$5\r\ncalls\r\n:5\r\n\$14\r\nhistogram_usec\r\n\*\d+\r\n/);
    const counts = [...set.matchAll(/:(\d+)\r\n/g)].map((x) => Number(x[1]));
    expect(counts[counts.length - 1]).toBe(5);
    const debug = await c.call('LATENCY', 'HISTOGRAM', 'debug');
    const buckets = [...debug.slice(debug.indexOf('histogram_usec')).matchAll(/:(\d+)\r\n/g)].map((x) => Number(x[1]));
    expect(buckets[0]).toBeGreaterThanOrEqual(2048);
    expect(await c.call('LATENCY', 'HISTOGRAM', 'nosuch')).toBe('*0\r\n');
  });

  it('logs a BLPOP in SLOWLOG when it is served; INFO commandstats has real times; errorstats', async () => {
    const c = await client();
    const b = await client();
    expect(await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '0')).toBe('+OK\r\n');
    b.send(['BLPOP', 'l', '0']);
    await until('BLPOP blocked', async () => field(await c.call('INFO', 'clients'), 'blocked_clients') === '1', 5_000, 25);
    expect(await c.call('MULTI')).toBe('+OK\r\n');
    expect(await c.call('LPUSH', 'l', 'x')).toBe('+QUEUED\r\n');
    expect(await c.call('SLOWLOG', 'RESET')).toBe('+QUEUED\r\n');
    expect(await c.call('EXEC')).toBe('*2\r\n:1\r\n+OK\r\n');
    expect((await b.next()).toString()).toBe('*2\r\n$1\r\nl\r\n$1\r\nx\r\n');
    expect(await c.call('SLOWLOG', 'GET', '1')).toMatch(/\*3\r\n\$5\r\nBLPOP\r\n\$1\r\nl\r\n\$1\r\n0\r\n/);
    expect(await c.call('CONFIG', 'SET', 'slowlog-log-slower-than', '10000')).toBe('+OK\r\n');

    expect(await c.call('CONFIG', 'RESETSTAT')).toBe('+OK\r\n');
    expect(await c.call('DEBUG', 'SLEEP', '0.02')).toBe('+OK\r\n');
    await c.call('INCR', 'notanumber');
    await c.call('SET', 'str', 'x');
    await c.call('INCR', 'str');
    await c.call('NOSUCHCOMMAND');
    const info = await c.call('INFO', 'commandstats');
    const debug = /cmdstat_debug:calls=1,usec=(\d+),usec_per_call=([\d.]+),rejected_calls=0,failed_calls=0/.exec(info);
    expect(debug, info).not.toBeNull();
    expect(Number(debug![1])).toBeGreaterThanOrEqual(20_000);
    expect(info).toMatch(/cmdstat_incr:calls=2,usec=\d+,usec_per_call=[\d.]+,rejected_calls=0,failed_calls=1/);
    const errors = await c.call('INFO', 'errorstats');
    expect(errors).toMatch(/errorstat_ERR:count=2\r\n/);
  });
});
