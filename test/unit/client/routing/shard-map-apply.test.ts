/**
 * The shard map applying topology snapshots: pools built from the snapshot, reads only to healthy
 * replicas (pools kept across health flips), a master move (in-flight commands reject with
 * FailoverError, unsent ones go to the new master), a replica leaving (its unsent reads go to the
 * master), and parked master pools in Sentinel mode until the first snapshot. Nodes are scripted
 * fake servers on loopback.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { lookupCommand } from '../../../../src/commands/registry.js';
import { assemble, type ClientParts } from '../../../../src/client/assemble.js';
import type { RingClientEvents } from '../../../../src/client/observe/events.js';
import { type RingClientOptions } from '../../../../src/client/options.js';
import { resolveOptions } from '../../../../src/client/resolve-options.js';
import type { CallOptions } from '../../../../src/client/routing/route.js';
import { choosePool } from '../../../../src/client/routing/read-policy.js';
import type { TopologyDiff } from '../../../../src/client/topology/diff.js';
import { staticShard, type ShardTopology } from '../../../../src/client/topology/snapshot.js';
import { Command, type Arg } from '../../../../src/client/transport/command.js';
import type { RespValue } from '../../../../src/protocol/resp-types.js';
import { resp, startFakeServer, type FakeServer } from '../../../helpers/fake-resp-server.js';

const GET = lookupCommand('get')!;
const SET = lookupCommand('set')!;

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()));
});

/** A node answering GET/SET with its own name, so a reply says where the command went. */
async function node(name: string, opts: { silent?: boolean; silentHandshake?: boolean } = {}): Promise<FakeServer> {
  const f = await startFakeServer((argv) => (opts.silent === true ? null : argv[0]!.toUpperCase() === 'SET' ? resp.ok : resp.bulk(name)), opts);
  open.push(f);
  return f;
}

/**
 * A client's parts (static shards: their snapshot is applied at construction) and the diffs
 * applied after. No replica link checks: the test alone says which replicas are healthy.
 */
function setup(options: RingClientOptions): ClientParts & { diffs: TopologyDiff[]; send: (argv: Arg[], opts?: CallOptions) => Promise<RespValue> } {
  const events = new EventEmitter<RingClientEvents>();
  const parts = assemble(resolveOptions({ commandTimeoutMs: 2000, connectTimeoutMs: 1000, replicaCheckMs: 0, ...options }), events);
  const diffs: TopologyDiff[] = [];
  events.on('topology', (diff: TopologyDiff) => diffs.push(diff));
  open.push(parts);
  return Object.assign(parts, { diffs, send: (argv: Arg[], opts?: CallOptions) => Promise.resolve(parts.route.send(argv, opts)) });
}

const shard = (master: FakeServer, replicas: { f: FakeServer; healthy: boolean }[]): ShardTopology => ({
  ...staticShard('s', master.address, []),
  replicas: replicas.map((r) => ({ address: r.f.address, healthy: r.healthy })),
});

describe('ShardMap.apply', () => {
  it('builds pools from the snapshot; replica reads go only to healthy replicas, the pool survives a health flip', async () => {
    const [m, r1, r2] = [await node('m'), await node('r1'), await node('r2')];
    const { shards, store, diffs, send } = setup({ shards: [{ name: 's', master: m.address, replicas: [r1.address, r2.address] }], readFrom: 'replica' });
    expect(store.snapshot.epoch).toBe(1);
    const s = shards.shard('s')!;
    expect(s.masterAddress).toBe(m.address);
    expect(s.readable.map((p) => p.address)).toEqual([r1.address, r2.address]);
    const reads = async (n: number): Promise<string[]> => {
      const out: string[] = [];
      for (let i = 0; i < n; i++) out.push(String(await send(['GET', 'k'])));
      return out;
    };
    expect(new Set(await reads(4))).toEqual(new Set(['r1', 'r2']));
    expect(await send(['SET', 'k', 'v'])).toBe('OK');
    expect(choosePool(s, SET, 'replica')).toBe(s.master);

    const r2pool = s.replicas[1]!;
    store.put([shard(m, [{ f: r1, healthy: true }, { f: r2, healthy: false }])]);
    expect(diffs.at(-1)!.changes[0]!.replicaHealth).toEqual([{ address: r2.address, healthy: false }]);
    expect(new Set(await reads(4))).toEqual(new Set(['r1']));
    expect(s.replicas[1]).toBe(r2pool);

    store.put([shard(m, [{ f: r1, healthy: false }, { f: r2, healthy: false }])]);
    expect(await reads(2)).toEqual(['m', 'm']);
    store.put([shard(m, [{ f: r1, healthy: false }, { f: r2, healthy: true }])]);
    expect(await reads(2)).toEqual(['r2', 'r2']);
    expect(s.replicas[1]).toBe(r2pool);
  });

  it('moves the master: in-flight commands reject with FailoverError, unsent ones run on the new master', async () => {
    const silent = await node('old', { silent: true });
    const stuck = await node('old2', { silentHandshake: true });
    const next = await node('new');
    const { shards, store, send } = setup({ shards: [{ name: 's', master: silent.address }] });
    store.put([shard(silent, [])]);
    const inflight = send(['SET', 'a', '1']);
    for (let i = 0; i < 100 && !silent.log.some((l) => l.startsWith('SET')); i++) await new Promise((r) => setTimeout(r, 10));
    store.put([shard(stuck, [])]);
    await expect(inflight).rejects.toMatchObject({ code: 'ERR_FAILOVER', shard: 's', from: silent.address, to: stuck.address });
    // `stuck` never finishes its handshake: the command waits unsent, then follows the next move.
    const unsent = send(['SET', 'b', '2']);
    await new Promise((r) => setTimeout(r, 50));
    store.put([shard(next, [])]);
    expect(await unsent).toBe('OK');
    expect(next.log).toContain('SET b 2');
    expect(shards.shard('s')!.master.address).toBe(next.address);
  });

  it('retires a replica that left the topology; reads fall back to the master', async () => {
    const [m, r] = [await node('m'), await node('r')];
    const { shards, store, diffs, send } = setup({ shards: [{ name: 's', master: m.address, replicas: [r.address] }], readFrom: 'replica' });
    store.put([shard(m, [{ f: r, healthy: true }])]);
    expect(await send(['GET', 'k'])).toBe('r');
    store.put([shard(m, [])]);
    expect(diffs.at(-1)!.changes[0]!.replicasRemoved).toEqual([r.address]);
    expect(shards.shard('s')!.replicas).toEqual([]);
    expect(await send(['GET', 'k'])).toBe('m');
    expect(choosePool(shards.shard('s')!, GET, 'replica')).toBe(shards.shard('s')!.master);
  });

  it('never routes to a replica at the master address (a promoted replica Sentinel still lists)', async () => {
    const [m, r] = [await node('m'), await node('r')];
    const { shards, store, send } = setup({ shards: [{ name: 's', master: m.address }], readFrom: 'replica' });
    store.put([shard(m, [{ f: m, healthy: true }, { f: r, healthy: true }])]);
    expect(shards.shard('s')!.readable.map((p) => p.address)).toEqual([r.address]);
  });

  it('Sentinel mode: master pools are parked until the first snapshot, then held commands run there', async () => {
    const m = await node('m');
    const { shards, store, diffs, send } = setup({ sentinels: ['127.0.0.1:1'], masters: ['s', 't'] });
    expect(shards.ring.shards()).toEqual(expect.arrayContaining(['s', 't']));
    const s = shards.shard('s')!;
    expect(s.masterAddress).toBe('');
    expect(s.master.parked).toBe(true);
    // (The route would hold it at the discovery gate; the pool is what is tested here.)
    const cmd = new Command(['GET', 'k'], false, true);
    s.master.send(cmd);
    const held = cmd.promise;
    expect(s.master.stats().waiting).toBe(1);
    store.put([{ ...staticShard('s', m.address, []) }]);
    expect(diffs[0]!.changes).toMatchObject([{ shard: 's', kind: 'added' }]);
    expect(await held).toBe('m');
    expect(shards.shard('t')!.master.parked).toBe(true);
  });
});
