/**
 * `ringcache-fleet` end to end: `up` starts 2 shards × 1 replica and 3 own Sentinels in the
 * background and writes fleet.json; RingClient connects through the fleet's Sentinels (and
 * statically through `shards`); `status --json` shows every process; a second `up` and a taken
 * port are refused; SIGKILL of a shard master fails over and the Sentinel-mode client keeps
 * writing; `down --purge` stops every process by pid and removes the data.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { RingClient } from '../../src/client/ring-client.js';
import { until } from '../helpers/own-sentinel.js';

const FLEET_BIN = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'), 'dist', 'bin', 'ringcache-fleet.js');
const dir = mkdtempSync(join(tmpdir(), 'ringcache-fleet-'));
const clients: RingClient[] = [];

function fleet(...args: string[]): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [FLEET_BIN, ...args], { encoding: 'utf8', timeout: 90_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

interface Proc {
  name: string;
  kind: string;
  pid: number;
  port: number;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  if (existsSync(join(dir, 'processes.json'))) fleet('down', '--dir', dir, '--purge');
  rmSync(dir, { recursive: true, force: true });
});

describe('ringcache-fleet', () => {
  it('up / status / down, with RingClient through the fleet’s Sentinels across a failover', async () => {
    const started = fleet('up', '--dir', dir, '--shards', '2', '--replicas', '1', '--sentinels', '3', '--base-port', '0', '--down-after-ms', '1000', '--failover-timeout-ms', '3000');
    expect(started.out).toContain('fleet up in');
    expect(started.code).toBe(0);
    const file = JSON.parse(readFileSync(join(dir, 'fleet.json'), 'utf8')) as {
      shards: { name: string; master: string; replicas: string[] }[];
      sentinels: string[];
      masters: string[];
    };
    expect(file.masters).toEqual(['s1', 's2']);
    expect(file.sentinels).toHaveLength(3);
    expect(file.shards.map((s) => s.replicas.length)).toEqual([1, 1]);

    const viaSentinel = new RingClient({ sentinels: file.sentinels, masters: file.masters, commandTimeoutMs: 1000 });
    const statically = new RingClient({ shards: file.shards });
    clients.push(viaSentinel, statically);
    for (let i = 0; i < 20; i++) await viaSentinel.set(`k${i}`, String(i));
    for (let i = 0; i < 20; i++) expect(await statically.get(`k${i}`)).toBe(String(i));

    const st = JSON.parse(fleet('status', '--dir', dir, '--json').out) as { name: string; alive: boolean; role: string; link: string }[];
    expect(st).toHaveLength(7);
    expect(st.every((p) => p.alive)).toBe(true);
    expect(st.filter((p) => p.role === 'slave').map((p) => p.link)).toEqual(['up', 'up']);
    expect(fleet('status', '--dir', dir).out).toMatch(/^NAME\s+KIND\s+PORT/);

    const again = fleet('up', '--dir', dir, '--base-port', '0');
    expect(again.code).toBe(1);
    expect(again.out).toContain('a fleet already runs in');

    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const taken = (blocker.address() as net.AddressInfo).port;
    const other = mkdtempSync(join(tmpdir(), 'ringcache-fleet-other-'));
    const refused = fleet('up', '--dir', other, '--shards', '1', '--replicas', '0', '--sentinels', '0', '--base-port', String(taken));
    blocker.close();
    rmSync(other, { recursive: true, force: true });
    expect(refused.code).toBe(1);
    expect(refused.out).toContain(`port ${taken} is already in use`);

    const procs = JSON.parse(readFileSync(join(dir, 'processes.json'), 'utf8')) as Proc[];
    const s1 = procs.find((p) => p.name === 's1-master')!;
    process.kill(s1.pid, 'SIGKILL');
    const key = Array.from({ length: 200 }, (_, i) => `f${i}`).find((k) => viaSentinel.locate(k) === 's1')!;
    await until('writes to s1 through the promoted replica', async () => {
      try {
        await viaSentinel.set(key, 'after');
        return (await viaSentinel.get(key)) === 'after';
      } catch {
        return false;
      }
    }, 30_000);

    const stopped = fleet('down', '--dir', dir, '--purge');
    expect(stopped.code).toBe(0);
    expect(procs.every((p) => !alive(p.pid))).toBe(true);
    expect(existsSync(join(dir, 'fleet.json'))).toBe(false);
    expect(existsSync(join(dir, 's2-master'))).toBe(false);
  });
});
