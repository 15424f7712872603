#!/usr/bin/env node
/**
 * `ringcache-fleet up|status|down --dir <dir> …`: a whole local fleet (shards × replicas, and
 * Sentinels) as background processes, in one command (src/fleet/); `ringcache-fleet dashboard …`
 * serves the live dashboard (src/fleet/dashboard/) for a fleet directory, a node list or Sentinels,
 * in the foreground until SIGINT/SIGTERM. Exit code 1 with a message on any error (a port taken, a
 * fleet already running there, a bad option).
 */

import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { RingcacheError } from '../errors.js';
import { fromFleetDir, fromNodeList, fromSentinels, openDashboard, type DashboardTargets } from '../fleet/dashboard/index.js';
import { down, status, up, type ProcessStatus } from '../fleet/fleet.js';
import type { FleetOptions, Persistence } from '../fleet/layout.js';

const USAGE = `Usage:
  ringcache-fleet up --dir <dir> [--shards N|auto] [--replicas N] [--sentinels N] [--base-port P]
                     [--persistence aof|snapshot|none] [--down-after-ms MS] [--failover-timeout-ms MS]
                     [--dashboard-port N [--bind ADDR]]
  ringcache-fleet status --dir <dir> [--json]
  ringcache-fleet down --dir <dir> [--purge]
  ringcache-fleet dashboard (--dir <dir> | --nodes [name=]host:port,… | --sentinels host:port,… [--master-names a,b])
                            [--port N] [--bind ADDR] [--vnodes N] [--interval-ms MS]
                            [--user U] [--password P] [--sentinel-password P]   (or REDISCLI_AUTH)

Defaults: --shards 3 --replicas 1 --sentinels 3 --base-port 7000 --persistence none
          --down-after-ms 5000 --failover-timeout-ms 15000. --base-port 0 picks free ports.
          dashboard: --port 7900 --bind 127.0.0.1 --vnodes 150 (as RingClient's) --interval-ms 1000.
          up --dashboard-port starts the dashboard in the background; down stops it.
fleet.json: { shards, sentinels, masters } — new RingClient({ shards }) or
            new RingClient({ sentinels, masters }).
`;

class UsageError extends RingcacheError {
  constructor(message: string) {
    super('ERR_CONFIG', message);
  }
}

function parse(args: readonly string[]): { cmd: string; flags: Map<string, string> } {
  const cmd = args[0] ?? '';
  const flags = new Map<string, string>();
  for (let i = 1; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) throw new UsageError(`unexpected argument '${a}'`);
    const name = a.slice(2);
    if (name === 'json' || name === 'purge') flags.set(name, 'yes');
    else if (i + 1 < args.length) flags.set(name, args[++i]!);
    else throw new UsageError(`--${name} needs a value`);
  }
  return { cmd, flags };
}

function int(flags: Map<string, string>, name: string, def: number, min: number): number {
  const v = flags.get(name);
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}`);
  return n;
}

function options(flags: Map<string, string>): FleetOptions {
  const known = ['dir', 'shards', 'replicas', 'sentinels', 'base-port', 'persistence', 'down-after-ms', 'failover-timeout-ms', 'dashboard-port', 'bind'];
  for (const k of flags.keys()) if (!known.includes(k)) throw new UsageError(`unknown option --${k}`);
  if (flags.has('bind') && !flags.has('dashboard-port')) throw new UsageError('--bind is the dashboard\'s: give --dashboard-port too');
  const persistence = flags.get('persistence') ?? 'none';
  if (!['aof', 'snapshot', 'none'].includes(persistence)) throw new UsageError('--persistence must be aof, snapshot or none');
  return {
    dir: resolve(flags.get('dir')!),
    shards: flags.get('shards') === 'auto' ? availableParallelism() : int(flags, 'shards', 3, 1),
    replicas: int(flags, 'replicas', 1, 0),
    sentinels: int(flags, 'sentinels', 3, 0),
    basePort: int(flags, 'base-port', 7000, 0),
    persistence: persistence as Persistence,
    downAfterMs: int(flags, 'down-after-ms', 5000, 1),
    failoverTimeoutMs: int(flags, 'failover-timeout-ms', 15000, 1),
    dashboard: flags.has('dashboard-port') ? { port: int(flags, 'dashboard-port', 0, 0), bind: flags.get('bind') ?? '127.0.0.1' } : null,
  };
}

function targets(flags: Map<string, string>): DashboardTargets {
  const known = ['dir', 'nodes', 'sentinels', 'master-names', 'port', 'bind', 'vnodes', 'interval-ms', 'user', 'password', 'sentinel-password'];
  for (const k of flags.keys()) if (!known.includes(k)) throw new UsageError(`unknown option --${k}`);
  const sources = ['dir', 'nodes', 'sentinels'].filter((k) => flags.has(k));
  if (sources.length !== 1) throw new UsageError('dashboard needs exactly one of --dir, --nodes, --sentinels');
  if (flags.has('master-names') && !flags.has('sentinels')) throw new UsageError('--master-names goes with --sentinels');
  const vnodes = int(flags, 'vnodes', 150, 1);
  const t = flags.has('dir')
    ? fromFleetDir(resolve(flags.get('dir')!), vnodes)
    : flags.has('nodes')
      ? fromNodeList(flags.get('nodes')!, vnodes)
      : fromSentinels(flags.get('sentinels')!, flags.get('master-names'), vnodes);
  // As redis-cli: REDISCLI_AUTH keeps the password out of the process list.
  const password = flags.get('password') ?? process.env['REDISCLI_AUTH'];
  if (flags.has('user') && password === undefined) throw new UsageError('--user needs --password (or REDISCLI_AUTH)');
  t.auth = password === undefined ? null : flags.has('user') ? [flags.get('user')!, password] : [password];
  const sp = flags.get('sentinel-password');
  t.sentinelAuth = sp === undefined ? null : [sp];
  return t;
}

async function dashboard(flags: Map<string, string>): Promise<void> {
  const t = targets(flags);
  const d = await openDashboard(t, { port: int(flags, 'port', 7900, 0), bind: flags.get('bind') ?? '127.0.0.1', intervalMs: int(flags, 'interval-ms', 1000, 100) });
  process.stdout.write(`dashboard on ${d.url} (${t.nodes.length} node(s), ${t.sentinels.length} Sentinel(s) known at start)\n`);
  const stop = (): void => void d.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function table(rows: readonly ProcessStatus[]): string {
  const head = ['NAME', 'KIND', 'PORT', 'PID', 'STATE', 'ROLE', 'MEMORY', 'LINK', 'LAG'];
  const lines = rows.map((r) => [r.name, r.kind, String(r.port), String(r.pid), r.alive ? 'running' : 'stopped', r.role, r.memory, r.link, r.lagBytes === null ? '-' : `${r.lagBytes}B`]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  return [head, ...lines].map((l) => l.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n';
}

async function main(): Promise<void> {
  const { cmd, flags } = parse(process.argv.slice(2));
  if (cmd === '-h' || cmd === '--help' || cmd === 'help' || cmd === '') return void process.stdout.write(USAGE);
  if (cmd === 'dashboard') return dashboard(flags);
  if (!flags.has('dir')) throw new UsageError('--dir is required');
  const dir = resolve(flags.get('dir')!);
  if (cmd === 'up') {
    const o = options(flags);
    const file = await up(o);
    process.stdout.write(`fleet up in ${dir}: ${file.shards.length} shards, ${o.replicas} replica(s) each, ${file.sentinels.length} Sentinels\n`);
    const board = (await status(dir)).find((p) => p.kind === 'dashboard');
    if (board !== undefined && o.dashboard) process.stdout.write(`dashboard on http://${o.dashboard.bind}:${board.port}/\n`);
    process.stdout.write(`${dir}/fleet.json:\n${JSON.stringify(file, null, 2)}\n`);
  } else if (cmd === 'status') {
    const rows = await status(dir);
    process.stdout.write(flags.has('json') ? `${JSON.stringify(rows, null, 2)}\n` : table(rows));
  } else if (cmd === 'down') {
    const n = await down(dir, flags.has('purge'));
    process.stdout.write(`stopped ${n} process(es)${flags.has('purge') ? ', data removed' : ''}\n`);
  } else {
    throw new UsageError(`unknown command '${cmd}'\n${USAGE}`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`ringcache-fleet: ${err instanceof RingcacheError ? err.message : String(err)}\n`);
  process.exit(1);
});
