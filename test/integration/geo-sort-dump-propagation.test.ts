/**
 * The geo, SORT and DUMP/RESTORE/MIGRATE writes reach replicas and survive restarts: a master
 * with an AOF and a replica take GEOADD (propagated as ZADD), GEOSEARCHSTORE and GEORADIUS …
 * STOREDIST, SORT … STORE, RESTORE with a relative TTL (propagated absolute) and with a TTL
 * already past (propagated DEL), and MIGRATE (propagated DEL); the replica then equals the master
 * (DEBUG DIGEST), and so does the master restarted from its AOF and from a snapshot. MEMORY
 * USAGE answers for the values these commands make.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { startRingcache, type ServerProcess } from '../helpers/processes.js';
import { connect, waitFor } from './persistence-helpers.js';

const procs: ServerProcess[] = [];
const conns: Redis[] = [];
const dir = mkdtempSync(join(tmpdir(), 'geo-sort-dump-'));

async function start(args: Record<string, string | number>, dir?: string): Promise<[ServerProcess, Redis]> {
  const p = await startRingcache({ args: { 'enable-debug-command': 'yes', ...args }, ...(dir !== undefined ? { dir, keepDir: true } : {}) });
  procs.push(p);
  const c = await connect(p.port);
  conns.push(c);
  return [p, c];
}

async function field(r: Redis, section: string, name: string): Promise<string> {
  const m = new RegExp(`^${name}:(.*)$`, 'm').exec(await r.info(section));
  return m === null ? '' : m[1]!.trim();
}

afterAll(async () => {
  for (const c of conns) c.disconnect();
  for (const p of procs) await p.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('geo, SORT and DUMP/RESTORE/MIGRATE through replication, AOF and snapshots', () => {
  it('keeps replica, AOF and snapshot equal to the master', async () => {
    const [m, mc] = await start({ appendonly: 'yes', appendfsync: 'always' }, dir);
    const [, rc] = await start({});
    const [, other] = await start({});
    await rc.call('REPLICAOF', '127.0.0.1', String(m.port));
    await waitFor(async () => (await field(rc, 'replication', 'master_link_status')) === 'up', 30_000, 50);

    await mc.call('GEOADD', 'g', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania', '180', '85.05112878', 'edge');
    await mc.call('GEOSEARCHSTORE', 'near', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'STOREDIST');
    await mc.call('GEORADIUS', 'g', '15', '37', '300', 'km', 'STORE', 'stored');
    await mc.call('RPUSH', 'l', '3', '1', '2');
    await mc.call('MSET', 'w_1', '30', 'w_2', '20', 'w_3', '10');
    await mc.call('SORT', 'l', 'BY', 'w_*', 'GET', '#', 'GET', 'w_*', 'STORE', 'sorted');
    const payload = (await mc.callBuffer('DUMP', 'g')) as Buffer;
    await mc.call('RESTORE', 'copy', '100000', payload);
    await mc.call('SET', 'old', 'x');
    await mc.call('RESTORE', 'old', '1', payload, 'REPLACE', 'ABSTTL');
    await mc.call('SET', 'moving', 'v');
    expect(await mc.call('MIGRATE', '127.0.0.1', String((procs[2] as ServerProcess).port), 'moving', '0', '5000')).toBe('OK');
    expect(await other.get('moving')).toBe('v');

    for (const k of ['g', 'near', 'stored', 'sorted', 'copy']) expect(Number(await mc.call('MEMORY', 'USAGE', k))).toBeGreaterThan(0);
    expect(await mc.exists('old', 'moving')).toBe(0);

    expect(Number(await mc.call('WAIT', '1', '10000'))).toBe(1);
    const target = await field(mc, 'replication', 'master_repl_offset');
    await waitFor(async () => (await field(rc, 'replication', 'slave_repl_offset')) === target, 10_000);
    const digest = await mc.call('DEBUG', 'DIGEST');
    expect(await rc.call('DEBUG', 'DIGEST')).toBe(digest);
    expect(await rc.lrange('sorted', 0, -1)).toEqual(['3', '10', '2', '20', '1', '30']);
    expect(Number(await rc.pttl('copy'))).toBeGreaterThan(90_000);

    // From the AOF …
    await mc.call('SAVE');
    await m.stop();
    const [p2, again] = await start({ appendonly: 'yes' }, dir);
    expect(await again.call('DEBUG', 'DIGEST')).toBe(digest);
    await p2.stop();
    // … and from the snapshot alone.
    const [, fromSnapshot] = await start({ appendonly: 'no' }, dir);
    expect(await fromSnapshot.call('DEBUG', 'DIGEST')).toBe(digest);
  }, 60_000);
});
