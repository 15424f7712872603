/**
 * RingClient against real redis-server + redis-sentinel 7.0: masters found through Sentinel,
 * a SIGKILLed master followed to the promoted replica (the other shard untouched, every command
 * settled), and replica reads. Prints the recovery time; asserts behaviour, with generous bounds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RingClient } from '../../src/client/client.js';
import { HarnessError } from '../helpers/harness-error.js';
import { RawClient } from '../helpers/raw-client.js';
import { sentinelSkipReason, startSentinelFleet, type SentinelFleet } from '../helpers/sentinel.js';

const skip = sentinelSkipReason();
if (skip !== null) console.warn(skip);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A key owned by `shard`. */
function keyOn(client: RingClient, shard: string, prefix: string): string {
  for (let i = 0; i < 10_000; i++) if (client.locate(`${prefix}${i}`) === shard) return `${prefix}${i}`;
  throw new HarnessError(`no key found for ${shard}`);
}

async function infoField(port: number, section: string, re: RegExp): Promise<string | null> {
  const r = await RawClient.connect(port);
  try {
    return re.exec(await r.call('INFO', section))?.[1] ?? null;
  } finally {
    r.close();
  }
}

/** Waits until every Sentinel knows the other two and each master's replica (bounded). */
async function fleetReady(fleet: SentinelFleet, masters: readonly string[]): Promise<void> {
  for (let i = 0; i < 200; i++) {
    let ok = true;
    for (const s of fleet.sentinels) {
      const r = await RawClient.connect(s.port);
      try {
        for (const m of masters) {
          const info = await r.call('INFO', 'sentinel');
          if (!new RegExp(`name=${m},status=ok,address=[^,]+,slaves=1,sentinels=${fleet.sentinels.length}`).test(info)) ok = false;
        }
      } finally {
        r.close();
      }
    }
    if (ok) return;
    await sleep(100);
  }
  throw new HarnessError('Sentinel fleet never converged');
}

describe.skipIf(skip !== null)('RingClient with Sentinel (real redis-sentinel)', () => {
  let fleet: SentinelFleet;
  let client: RingClient;
  beforeAll(async () => {
    fleet = await startSentinelFleet({ masters: ['s1', 's2'], replicas: 1, sentinels: 3, quorum: 2, downAfterMs: 1000, failoverTimeoutMs: 3000 });
    await fleetReady(fleet, ['s1', 's2']);
    client = await RingClient.connect({ sentinels: fleet.sentinelAddresses, masters: ['s1', 's2'], commandTimeoutMs: 1000, connectTimeoutMs: 500 });
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await fleet?.stop();
  });

  it('finds each master through Sentinel and routes by shard name', async () => {
    const a = keyOn(client, 's1', 'a');
    const b = keyOn(client, 's2', 'b');
    await client.set(a, '1');
    await client.set(b, '2');
    expect(await infoField(fleet.masters.get('s1')!.port, 'keyspace', /db0:keys=(\d+)/)).toBe('1');
    expect(await infoField(fleet.masters.get('s2')!.port, 'keyspace', /db0:keys=(\d+)/)).toBe('1');
    expect(await client.mget([a, b])).toEqual(['1', '2']);
  });

  it('readFrom replica: GETs reach the replica, not the master', async () => {
    const m = fleet.masters.get('s2')!;
    const r = fleet.replicas.get('s2')![0]!;
    const reader = new RingClient({ shards: [{ name: 's2', master: `127.0.0.1:${m.port}`, replicas: [`127.0.0.1:${r.port}`] }], readFrom: 'replica' });
    try {
      const gets = (port: number): Promise<number> => infoField(port, 'commandstats', /cmdstat_get:calls=(\d+)/).then((v) => Number(v ?? 0));
      const [m0, r0] = [await gets(m.port), await gets(r.port)];
      for (let i = 0; i < 50; i++) await reader.get('anything');
      expect((await gets(m.port)) - m0).toBe(0);
      expect((await gets(r.port)) - r0).toBe(50);
    } finally {
      await reader.close();
    }
  });

  it('follows a SIGKILLed master to the promoted replica; the other shard sees no error', async () => {
    const k1 = keyOn(client, 's1', 'f');
    const k2 = keyOn(client, 's2', 'g');
    const oldPort = fleet.masters.get('s1')!.port;
    const promoted = `127.0.0.1:${fleet.replicas.get('s1')![0]!.port}`;
    const switched: string[] = [];
    client.on('topology', (e: { shard: string; master: string }) => switched.push(`${e.shard}=${e.master}`));
    let started = 0;
    let settled = 0;
    let failed1 = 0;
    let failed2 = 0;
    const track = <T>(p: Promise<T>): Promise<T> => {
      started++;
      return p.finally(() => settled++);
    };
    await track(client.set(k1, 'before'));
    await fleet.masters.get('s1')!.kill();
    const t0 = performance.now();
    let recoveredMs = -1;
    for (let i = 0; i < 1500 && recoveredMs < 0; i++) {
      const [r1, r2] = await Promise.allSettled([track(client.set(k1, `v${i}`)), track(client.set(k2, `v${i}`))]);
      if (r2.status === 'rejected') failed2++;
      if (r1.status === 'rejected') failed1++;
      else if (switched.length > 0 && i > 0) recoveredMs = performance.now() - t0;
      await sleep(20);
    }
    console.log(`sentinel failover (client): first write on the new master ${Math.round(recoveredMs)} ms after SIGKILL (down-after 1000 ms); failed writes on the shard ${failed1}; other shard errors ${failed2}; topology ${switched.join(' ')}`);
    expect(recoveredMs).toBeGreaterThan(0);
    expect(recoveredMs).toBeLessThan(20_000);
    expect(switched).toContain(`s1=${promoted}`);
    expect(failed2).toBe(0);
    expect(await client.get(k1)).toMatch(/^v\d+$/);
    expect(started - settled).toBe(0);
    expect(oldPort).not.toBe(fleet.replicas.get('s1')![0]!.port);
  }, 40_000);

  it('manual SENTINEL failover: no write reaches the demoted master once the client switched', async () => {
    const key = keyOn(client, 's2', 'm');
    const oldPort = fleet.masters.get('s2')!.port;
    const sets = (): Promise<number> => infoField(oldPort, 'commandstats', /cmdstat_set:calls=(\d+)/).then((v) => Number(v ?? 0));
    let switchedAt = -1;
    const onTopology = (e: { shard: string }): void => {
      if (e.shard === 's2' && switchedAt < 0) switchedAt = performance.now();
    };
    client.on('topology', onTopology);
    const s = await RawClient.connect(fleet.sentinels[0]!.port);
    try {
      expect(await s.call('SENTINEL', 'failover', 's2')).toBe('+OK\r\n');
    } finally {
      s.close();
    }
    let failed = 0;
    let afterSwitch: number | null = null;
    for (let i = 0; i < 1000; i++) {
      await client.set(key, `w${i}`).catch(() => failed++);
      // Commands sent before the switch may still land there; count from 200 ms after it.
      if (switchedAt > 0 && afterSwitch === null && performance.now() - switchedAt > 200) afterSwitch = await sets();
      if (afterSwitch !== null && performance.now() - switchedAt > 1500) break;
      await sleep(10);
    }
    client.off('topology', onTopology);
    expect(switchedAt).toBeGreaterThan(0);
    expect(afterSwitch).not.toBeNull();
    expect(await sets()).toBe(afterSwitch);
    console.log(`manual failover: ${failed} failed writes; none reached the demoted master after the switch`);
  }, 40_000);
});
