/**
 * Our Sentinel mode in one group with real redis-sentinel 7.0 (2 own + 1 redis-sentinel, then
 * 1 own + 2 redis-sentinel), over a redis-server master and replica: every Sentinel discovers
 * the others through hello messages whatever their implementation, they agree on ODOWN through
 * is-master-down-by-addr, elect a leader by epoch votes and fail over; afterwards every Sentinel
 * reports the promoted replica and the same config epoch. Skipped without redis-sentinel.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ask, fields, masterPortOf, replField, startSentinelOf, until } from '../helpers/own-sentinel.js';
import { hasRedis, hasSentinel, startRedis, type ServerProcess } from '../helpers/processes.js';

const procs: ServerProcess[] = [];

afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop(2000)));
});

async function mixed(kinds: readonly ('own' | 'redis')[]): Promise<void> {
  const master = await startRedis({ args: { 'repl-diskless-sync-delay': 0 } });
  procs.push(master);
  const replica = await startRedis({ args: { replicaof: `127.0.0.1 ${master.port}`, 'repl-diskless-sync-delay': 0 } });
  procs.push(replica);
  await until('replica in sync', async () => (await replField(replica.port, 'master_link_status')) === 'up');
  const group = await Promise.all(kinds.map((k) => startSentinelOf(k, master.port)));
  procs.push(...group);
  for (const s of group) {
    await until('discovery across implementations', async () => {
      const m = fields(await ask(s.port, 'SENTINEL', 'master', 'm'));
      return m['num-slaves'] === '1' && m['num-other-sentinels'] === String(kinds.length - 1);
    });
  }
  await master.kill();
  await until('every Sentinel reports the replica', async () => (await Promise.all(group.map((s) => masterPortOf(s.port)))).every((p) => p === replica.port));
  await until('replica promoted', async () => (await replField(replica.port, 'role')) === 'master');
  const epochs = await Promise.all(group.map(async (s) => fields(await ask(s.port, 'SENTINEL', 'master', 'm'))['config-epoch']));
  expect(new Set(epochs).size).toBe(1);
  expect(Number(epochs[0])).toBeGreaterThan(0);
}

const skip = !hasRedis() || !hasSentinel();
if (skip) console.log('redis-server/redis-sentinel are not installed: skipping the mixed Sentinel group tests');

describe.skipIf(skip)('own Sentinels mixed with redis-sentinel', () => {
  it('2 own + 1 redis-sentinel agree on ODOWN, elect and fail over', async () => {
    await mixed(['own', 'own', 'redis']);
  });

  it('1 own + 2 redis-sentinel agree on ODOWN, elect and fail over', async () => {
    await mixed(['own', 'redis', 'redis']);
  });
});
