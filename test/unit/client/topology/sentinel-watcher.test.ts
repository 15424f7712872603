/**
 * The Sentinel watcher against scripted Sentinels and nodes (exact replies as redis-sentinel 7.0
 * gives them, RESP2): discovery order (an unreachable Sentinel skipped, the answering one moved to
 * the front, Sentinels learned from SENTINEL sentinels), replica health from SENTINEL replicas,
 * and the events it follows (+sdown of a replica, ±odown, +switch-master), plus the ROLE re-check
 * of an address that still says slave.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionOptions } from '../../../../src/client/transport/connection.js';
import { SentinelWatcher } from '../../../../src/client/topology/sentinel-watcher.js';
import type { ShardTopology } from '../../../../src/client/topology/snapshot.js';
import { deadPort } from '../../../helpers/processes.js';
import { resp, sentinelRecord, startFakeServer, type FakeServer } from '../../../helpers/fake-resp-server.js';
import { until } from '../../../helpers/poll.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()));
});


const ROLE_MASTER = resp.arr([resp.bulk('master'), resp.int(0), resp.arr([])]);
const ROLE_SLAVE = resp.arr([resp.bulk('slave'), resp.bulk('127.0.0.1'), resp.int(1), resp.bulk('connected'), resp.int(0)]);

async function roleNode(role: () => string): Promise<FakeServer> {
  const f = await startFakeServer((argv) => (argv[0]!.toUpperCase() === 'ROLE' ? role() : resp.err('ERR unknown command')));
  open.push(f);
  return f;
}

interface View {
  master: FakeServer;
  replicas: Record<string, string>[];
  sentinels: string[];
}

async function fakeSentinel(view: View): Promise<FakeServer> {
  const f = await startFakeServer((argv) => {
    if (argv[0]!.toUpperCase() !== 'SENTINEL') return resp.err('ERR unknown command');
    if (argv[2] !== 'm') return argv[1] === 'get-master-addr-by-name' ? resp.nil : resp.err('ERR No such master with that name');
    if (argv[1] === 'get-master-addr-by-name') return resp.strings(['127.0.0.1', String(view.master.port)]);
    if (argv[1] === 'replicas') return resp.arr(view.replicas.map(sentinelRecord));
    if (argv[1] === 'sentinels') return resp.arr(view.sentinels.map((a) => sentinelRecord({ name: 'x', ip: a.split(':')[0]!, port: a.split(':')[1]!, flags: 'sentinel' })));
    return resp.err('ERR unknown subcommand');
  });
  open.push(f);
  return f;
}

const replica = (port: number, flags = 'slave', link = 'ok'): Record<string, string> => ({
  name: `127.0.0.1:${port}`, ip: '127.0.0.1', port: String(port), flags, 'master-link-status': link,
});

function conn(address: string): ConnectionOptions {
  const [host, port] = address.split(':');
  return {
    host: host!, port: Number(port), tls: null, retryStrategy: null, connectTimeoutMs: 500, commandTimeoutMs: 500, keepAliveMs: 0, db: 0, protocol: 3,
    offlineQueueMax: 10, reconnectBaseDelayMs: 20, reconnectMaxDelayMs: 100, retryOnDisconnect: false,
  };
}

function watch(sentinels: string[], roleRetries = 3): { watcher: SentinelWatcher; states: ShardTopology[]; last: () => ShardTopology | undefined } {
  const states: ShardTopology[] = [];
  const watcher = new SentinelWatcher({ sentinels, masters: ['m'], connection: conn, sentinelConnection: (a) => ({ ...conn(a), protocol: 2 }), timeoutMs: 500, recheckMs: 60_000, roleRetries, onState: (s) => states.push(s) });
  open.push(watcher);
  return { watcher, states, last: () => states.at(-1) };
}

describe('SentinelWatcher', () => {
  it('discovers the master and the replicas with their health; skips an unreachable Sentinel and learns others', async () => {
    const a = await roleNode(() => ROLE_MASTER);
    const view: View = { master: a, replicas: [replica(7001), replica(7002, 'slave,s_down'), replica(7003, 'slave', 'err')], sentinels: ['127.0.0.1:26999'] };
    const s2 = await fakeSentinel(view);
    const dead = `127.0.0.1:${await deadPort()}`;
    const { watcher, last } = watch([dead, s2.address]);
    await watcher.start();
    expect(last()).toEqual({
      name: 'm',
      master: a.address,
      replicas: [
        { address: '127.0.0.1:7001', healthy: true },
        { address: '127.0.0.1:7002', healthy: false },
        { address: '127.0.0.1:7003', healthy: false },
      ],
      masterDown: false,
      failingOver: false,
    });
    await until('SENTINEL sentinels learned', () => watcher.sentinelList.includes('127.0.0.1:26999'));
    expect(watcher.sentinelList).toEqual([s2.address, dead, '127.0.0.1:26999']);
  });

  it('follows events: +sdown/-sdown of a replica, +odown, +switch-master, +sentinel', async () => {
    const a = await roleNode(() => ROLE_MASTER);
    const b = await roleNode(() => ROLE_MASTER);
    const view: View = { master: a, replicas: [replica(7001), replica(7002)], sentinels: [] };
    const s = await fakeSentinel(view);
    const { watcher, last } = watch([s.address]);
    await watcher.start();
    await until('subscribed', () => s.log.some((l) => l.startsWith('SUBSCRIBE') && l.includes('+sdown') && l.includes('+switch-master')));
    // Sentinel sets the flag before it publishes the event.
    view.replicas = [replica(7001), replica(7002, 'slave,s_down')];
    s.publish('+sdown', `slave 127.0.0.1:7002 127.0.0.1 7002 @ m 127.0.0.1 ${a.port}`);
    await until('replica marked down', () => last()!.replicas[1]!.healthy === false);
    s.publish('+odown', `master m 127.0.0.1 ${a.port} #quorum 2/2`);
    await until('failing over', () => last()!.failingOver);
    view.master = b;
    view.replicas = [replica(a.port, 'slave,s_down'), replica(7001)];
    s.publish('+switch-master', `m 127.0.0.1 ${a.port} 127.0.0.1 ${b.port}`);
    await until('new master', () => last()!.master === b.address);
    expect(last()).toMatchObject({ failingOver: false, replicas: [{ address: a.address, healthy: false }, { address: '127.0.0.1:7001', healthy: true }] });
    s.publish('+sentinel', `sentinel 0123abcd 127.0.0.1 26998 @ m 127.0.0.1 ${b.port}`);
    await until('a Sentinel learned from +sentinel', () => watcher.sentinelList.includes('127.0.0.1:26998'));
    view.replicas = [replica(a.port), replica(7001)];
    s.publish('-sdown', `slave ${a.address} 127.0.0.1 ${a.port} @ m 127.0.0.1 ${b.port}`);
    await until('old master back as a healthy replica', () => last()!.replicas[0]!.healthy);
  });

  it('asks again while the address Sentinel gives still answers ROLE slave', async () => {
    let roles = 0;
    const c = await roleNode(() => (++roles < 3 ? ROLE_SLAVE : ROLE_MASTER));
    const s = await fakeSentinel({ master: c, replicas: [], sentinels: [] });
    const { watcher, last } = watch([s.address], 5);
    await watcher.start();
    expect(last()!.master).toBe(c.address);
    expect(roles).toBe(3);
  });

  it('gives up with SentinelError when the address never becomes a master (bounded)', async () => {
    const c = await roleNode(() => ROLE_SLAVE);
    const s = await fakeSentinel({ master: c, replicas: [], sentinels: [] });
    const { watcher } = watch([s.address], 1);
    await expect(watcher.resolveMaster('m')).rejects.toMatchObject({ code: 'ERR_SENTINEL', master: 'm' });
    await expect(watcher.resolveMaster('nope')).rejects.toMatchObject({ code: 'ERR_SENTINEL', message: expect.stringContaining("'nope'") });
  });
});
