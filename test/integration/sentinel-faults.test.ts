/**
 * Failovers under load with real redis-sentinel 7.0 (3 Sentinels, quorum 2, down-after 1000 ms,
 * 2 shards of master + 1 replica): a writer and a reader per shard run continuously through two
 * faults, first SIGKILL of s1's master, then SIGSTOP of s2's master (SIGCONTed in cleanup).
 * Per fault it prints the time from the fault to the first successful write on the new master
 * (counting only writes issued after the fault), the failed commands on that shard by code, and
 * the other shard's errors. Asserts behaviour: the client ends on the promoted replica, the other
 * shard sees no error, every command settles; the recovery bound asserted is generous (the
 * target, ≤ 4 s, is printed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RingClient } from '../../src/client/ring-client.js';
import { fleetReady, keyOn, raw, sleep, until } from '../helpers/sentinel-checks.js';
import { sentinelSkipReason, startSentinelFleet, type SentinelFleet } from '../helpers/sentinel.js';

const skip = sentinelSkipReason();
if (skip !== null) console.warn(skip);

interface Op {
  shard: string;
  kind: 'set' | 'get';
  issued: number;
  settled: number;
  error: string | null;
}

describe.skipIf(skip !== null)('Sentinel failovers under load (real redis-sentinel)', () => {
  let fleet: SentinelFleet;
  let client: RingClient;
  beforeAll(async () => {
    fleet = await startSentinelFleet({ masters: ['s1', 's2'], replicas: 1, sentinels: 3, quorum: 2, downAfterMs: 1000, failoverTimeoutMs: 3000 });
    await fleetReady(fleet, ['s1', 's2']);
    client = new RingClient({
      sentinels: fleet.sentinelAddresses,
      masters: ['s1', 's2'],
      readFrom: 'prefer-replica',
      commandTimeoutMs: 1000,
      connectTimeoutMs: 2000,
      sentinelTimeoutMs: 500,
    });
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await fleet?.stop();
  });

  it('SIGKILL of one master, then SIGSTOP of the other: each shard follows its promoted replica', async () => {
    const addr = (p: { port: number }): string => `127.0.0.1:${p.port}`;
    const keys = { s1: keyOn(client, 's1', 'fk'), s2: keyOn(client, 's2', 'fk') };
    const ops: Op[] = [];
    let inFlight = 0;
    let stop = false;
    const track = (shard: string, kind: Op['kind'], p: Promise<unknown>): Promise<void> => {
      const op: Op = { shard, kind, issued: performance.now(), settled: 0, error: null };
      inFlight++;
      return p.then(
        () => {
          op.settled = performance.now();
          ops.push(op);
          inFlight--;
        },
        (err: unknown) => {
          op.settled = performance.now();
          op.error = (err as { code?: string }).code ?? 'unknown';
          ops.push(op);
          inFlight--;
        },
      );
    };
    const loop = async (shard: 's1' | 's2', kind: Op['kind']): Promise<void> => {
      for (let i = 0; !stop && i < 100_000; i++) {
        await track(shard, kind, kind === 'set' ? client.set(keys[shard], `v${i}`) : client.get(keys[shard]));
        await sleep(5);
      }
    };
    await client.set(keys.s1, 'v');
    await client.set(keys.s2, 'v');
    const loops = [loop('s1', 'set'), loop('s1', 'get'), loop('s2', 'set'), loop('s2', 'get')];

    const fault = async (shard: 's1' | 's2', other: 's1' | 's2', how: 'SIGKILL' | 'SIGSTOP'): Promise<{ recoveryMs: number; otherErrors: number }> => {
      await sleep(300); // steady load before the fault
      const oldMaster = fleet.masters.get(shard)!;
      const promoted = addr(fleet.replicas.get(shard)![0]!);
      const t0 = performance.now();
      if (how === 'SIGKILL') await oldMaster.kill();
      else oldMaster.signal('SIGSTOP');
      const firstWrite = (): Op | undefined => ops.find((o) => o.shard === shard && o.kind === 'set' && o.error === null && o.issued > t0);
      await until(`${shard} written on its new master`, () => firstWrite() !== undefined && client.topology().shards.get(shard)?.master === promoted, 20_000);
      const recoveryMs = firstWrite()!.settled - t0;
      await sleep(500); // the window closes a little after recovery
      const t1 = performance.now();
      const window = ops.filter((o) => o.settled >= t0 && o.settled <= t1);
      const failed = window.filter((o) => o.shard === shard && o.error !== null);
      const codes = [...new Set(failed.map((o) => `${o.kind}:${o.error}`))].map((c) => `${c}×${failed.filter((o) => `${o.kind}:${o.error}` === c).length}`);
      const otherErrors = window.filter((o) => o.shard === other && o.error !== null);
      console.log(
        `[sentinel fault ${how} ${shard}] fault → first successful write on the new master ${Math.round(recoveryMs)} ms (target ≤ 4000; down-after 1000); ` +
          `${failed.length} failed commands on ${shard} (${codes.join(', ') || 'none'}); ${otherErrors.length} errors on ${other}; ` +
          `${window.filter((o) => o.shard === other).length} commands on ${other} in the window; in flight now ${inFlight}`,
      );
      return { recoveryMs, otherErrors: otherErrors.length };
    };

    try {
      const first = await fault('s1', 's2', 'SIGKILL');
      const second = await fault('s2', 's1', 'SIGSTOP');
      stop = true;
      await Promise.race([Promise.all(loops), sleep(5000)]);
      console.log(`[sentinel faults] ${ops.length} commands, never settled: ${inFlight}`);
      expect(inFlight).toBe(0);
      expect(first.otherErrors).toBe(0);
      expect(second.otherErrors).toBe(0);
      expect(first.recoveryMs).toBeLessThan(20_000);
      expect(second.recoveryMs).toBeLessThan(20_000);
      for (const s of ['s1', 's2'] as const) {
        const promoted = fleet.replicas.get(s)![0]!;
        expect(client.topology().shards.get(s)?.master).toBe(addr(promoted));
        expect(await client.get(keys[s])).toMatch(/^v\d+$/);
        expect(await raw(promoted.port, 'GET', keys[s])).toMatch(/^\$\d+\r\nv\d+\r\n$/);
      }
    } finally {
      stop = true;
      fleet.masters.get('s2')!.signal('SIGCONT');
      await Promise.race([Promise.all(loops), sleep(5000)]);
    }
  }, 60_000);
});
