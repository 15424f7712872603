/**
 * A real Sentinel fleet for integration tests: per master name one redis-server master and
 * `replicas` redis-servers started with `--replicaof`, plus `sentinels` redis-sentinel processes
 * monitoring every master (quorum, down-after and failover-timeout as given), all on 127.0.0.1.
 * Each Sentinel gets its own sentinel.conf in a temp dir (Sentinel rewrites it). `stop()` stops
 * everything (stop() sends SIGCONT first, so a SIGSTOPped process is killed too).
 */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, hasRedis, hasSentinel, launch, startRedis, type ServerProcess } from './processes.js';

export interface FleetOptions {
  masters: readonly string[];
  replicas?: number;
  sentinels?: number;
  quorum?: number;
  downAfterMs?: number;
  failoverTimeoutMs?: number;
  /** The Sentinels' client port speaks TLS only (`port 0`, `tls-port`); masters stay plain. */
  sentinelTls?: { cert: string; key: string; ca: string };
  /** Extra sentinel.conf lines (`requirepass …`, `user …`). */
  sentinelConf?: readonly string[];
}

type SentinelSetup = Required<Omit<FleetOptions, 'masters' | 'sentinelTls' | 'sentinelConf'>> & Pick<FleetOptions, 'sentinelTls' | 'sentinelConf'>;

export interface SentinelFleet {
  readonly masters: Map<string, ServerProcess>;
  readonly replicas: Map<string, ServerProcess[]>;
  readonly sentinels: ServerProcess[];
  /** `127.0.0.1:<port>` of every Sentinel. */
  readonly sentinelAddresses: string[];
  stop(): Promise<void>;
}

/** Why Sentinel tests skip, or null when redis-server and redis-sentinel are installed. */
export function sentinelSkipReason(): string | null {
  if (hasRedis() && hasSentinel()) return null;
  return 'redis-server/redis-sentinel are not installed (apt-get install redis-server redis-sentinel); skipping Sentinel tests';
}

function sentinelConf(port: number, dir: string, monitored: readonly [string, number][], o: SentinelSetup): string {
  const t = o.sentinelTls;
  const listen = t === undefined ? [`port ${port}`] : ['port 0', `tls-port ${port}`, `tls-cert-file ${t.cert}`, `tls-key-file ${t.key}`, `tls-ca-cert-file ${t.ca}`, 'tls-auth-clients no'];
  const lines = [...listen, 'bind 127.0.0.1', 'daemonize no', `dir ${dir}`, 'sentinel resolve-hostnames no', ...(o.sentinelConf ?? [])];
  for (const [name, p] of monitored) {
    lines.push(
      `sentinel monitor ${name} 127.0.0.1 ${p} ${o.quorum}`,
      `sentinel down-after-milliseconds ${name} ${o.downAfterMs}`,
      `sentinel failover-timeout ${name} ${o.failoverTimeoutMs}`,
      `sentinel parallel-syncs ${name} 1`,
    );
  }
  return lines.join('\n') + '\n';
}

async function startSentinel(monitored: readonly [string, number][], o: SentinelSetup): Promise<ServerProcess> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-test-'));
  const conf = join(dir, 'sentinel.conf');
  writeFileSync(conf, sentinelConf(port, dir, monitored, o));
  const ready = new RegExp(monitored.map(([n]) => `(?=[\\s\\S]*\\+monitor master ${n} )`).join(''));
  return launch('redis-sentinel', [conf], port, dir, ready, {});
}

export async function startSentinelFleet(opts: FleetOptions): Promise<SentinelFleet> {
  const o = { replicas: 1, sentinels: 3, quorum: 2, downAfterMs: 1000, failoverTimeoutMs: 3000, ...opts };
  const started: ServerProcess[] = [];
  const masters = new Map<string, ServerProcess>();
  const replicas = new Map<string, ServerProcess[]>();
  const sentinels: ServerProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(started.map((p) => p.stop(2000)));
  };
  try {
    for (const name of o.masters) {
      // No diskless-sync delay: a replica (and a demoted master rejoining) syncs at once.
      const m = await startRedis({ args: { 'repl-diskless-sync-delay': 0 } });
      started.push(m);
      masters.set(name, m);
      const rs: ServerProcess[] = [];
      for (let i = 0; i < o.replicas; i++) {
        const r = await startRedis({ args: { replicaof: `127.0.0.1 ${m.port}`, 'repl-diskless-sync-delay': 0 } });
        started.push(r);
        rs.push(r);
      }
      replicas.set(name, rs);
    }
    const monitored = o.masters.map((n) => [n, masters.get(n)!.port] as [string, number]);
    for (let i = 0; i < o.sentinels; i++) {
      const s = await startSentinel(monitored, o);
      started.push(s);
      sentinels.push(s);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { masters, replicas, sentinels, sentinelAddresses: sentinels.map((s) => `127.0.0.1:${s.port}`), stop };
}
