/**
 * Starts and stops real server processes for integration and differential tests: our
 * `ringcache-server` (from dist/, built by `npm test`) and, when installed, Debian's `redis-server`.
 * Every process started here is stopped by `stop()` (SIGTERM, then SIGKILL after a grace period),
 * and a process-exit hook kills any left behind, so a failing test never leaks a server.
 */

import { HarnessError } from './harness-error.js';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RINGCACHE_BIN = join(ROOT, 'dist', 'bin', 'ringcache-server.js');

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

/**
 * Kills the servers this test file started and did not stop (a `beforeAll` whose
 * `Promise.all` of starts failed half-way loses the started ones); run after each file by
 * test/helpers/leftovers.setup.ts. Returns how many there were.
 */
export function killLeftovers(): number {
  const n = live.size;
  for (const p of live) p.kill('SIGKILL');
  live.clear();
  return n;
}

/** A free TCP port on 127.0.0.1 (bind to 0, read, release). */
export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a !== null ? a.port : 0;
      s.close(() => res(port));
    });
  });
}

/**
 * A port on 127.0.0.1 where nothing listens, and nothing a test starts will: below the kernel's
 * ephemeral range (/proc/sys/net/ipv4/ip_local_port_range, from which `freePort` and every test
 * server's port come), checked to refuse a connection. A port from `freePort` would not do for a
 * dead address: another test file running in parallel may start a server on it.
 */
export async function deadPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const refused = await new Promise<boolean>((res) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        res(false);
      });
      s.once('error', (err: NodeJS.ErrnoException) => res(err.code === 'ECONNREFUSED'));
    });
    if (refused) return port;
  }
  throw new HarnessError('no port below the ephemeral range refuses connections');
}

let redisChecked: boolean | null = null;
/** True when `redis-server` is on PATH. */
export function hasRedis(): boolean {
  if (redisChecked === null) redisChecked = spawnSync('redis-server', ['--version']).status === 0;
  return redisChecked;
}

let sentinelChecked: boolean | null = null;
export function hasSentinel(): boolean {
  if (sentinelChecked === null) sentinelChecked = spawnSync('redis-sentinel', ['--version']).status === 0;
  return sentinelChecked;
}

export interface ServerProcess {
  readonly port: number;
  readonly host: string;
  readonly pid: number;
  readonly dir: string;
  /** Everything the process printed so far. */
  output(): string;
  /** Resolves when a line matching `re` has been printed (rejects after timeoutMs). */
  waitFor(re: RegExp, timeoutMs?: number): Promise<void>;
  /** SIGTERM, wait for exit (SIGKILL after graceMs). Removes the temp dir unless keepDir. */
  stop(graceMs?: number): Promise<number | null>;
  /** SIGKILL now. */
  kill(): Promise<void>;
  signal(sig: NodeJS.Signals): void;
  readonly exited: Promise<number | null>;
}

export interface StartOptions {
  /** Extra `--name value` arguments (values may contain spaces: they become several words). */
  args?: Record<string, string | number>;
  /** Working directory / `dir` (a fresh temp dir by default). */
  dir?: string;
  port?: number;
  keepDir?: boolean;
  /** Extra raw argv after the options. */
  extra?: string[];
  /** A config file, passed first as redis-server takes it (ringcache only). */
  configFile?: string;
  startTimeoutMs?: number;
}

export function launch(cmd: string, argv: string[], port: number, dir: string, readyRe: RegExp, opts: StartOptions): Promise<ServerProcess> {
  const child = spawn(cmd, argv, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let out = '';
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  const onData = (d: Buffer): void => {
    out += d.toString();
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i]!.re.test(out)) {
        waiters[i]!.resolve();
        waiters.splice(i, 1);
      }
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((r) =>
    child.once('exit', (code) => {
      live.delete(child);
      r(code);
    }),
  );
  const waitFor = (re: RegExp, timeoutMs = 30_000): Promise<void> =>
    new Promise<void>((res, rej) => {
      if (re.test(out)) return res();
      const t = setTimeout(() => rej(new HarnessError(`timeout waiting for ${re} in output of ${cmd}:\n${out}`)), timeoutMs);
      waiters.push({ re, resolve: () => (clearTimeout(t), res()) });
      void exited.then((code) => {
        clearTimeout(t);
        rej(new HarnessError(`${cmd} exited (${code}) before ${re}:\n${out}`));
      });
    });
  const proc: ServerProcess = {
    port,
    host: '127.0.0.1',
    pid: child.pid ?? -1,
    dir,
    output: () => out,
    waitFor,
    exited,
    signal: (sig) => void child.kill(sig),
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGCONT');
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(t);
      if (opts.dir === undefined && opts.keepDir !== true) rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
  return waitFor(readyRe, opts.startTimeoutMs ?? 15_000).then(
    () => proc,
    async (err: unknown) => {
      await proc.kill();
      throw err;
    },
  );
}

function toArgv(args: Record<string, string | number>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(args)) {
    out.push(`--${k}`);
    const s = String(v);
    // An empty value must still be passed as one (empty) word.
    if (s === '') out.push('');
    else out.push(...s.split(' '));
  }
  return out;
}

/** Starts `ringcache-server` on a free loopback port with snapshot rules off unless asked. Requires `npm run build` (npm test does it). */
export async function startRingcache(opts: StartOptions = {}): Promise<ServerProcess> {
  if (!existsSync(RINGCACHE_BIN)) throw new HarnessError(`${RINGCACHE_BIN} is missing: run npm run build first`);
  const port = opts.port ?? (await freePort());
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'ringcache-test-'));
  // Like startRedis: no snapshot rules unless a test asks (a SIGTERM would otherwise save).
  const base: Record<string, string | number> = { save: '', ...(opts.args ?? {}) };
  const file = opts.configFile !== undefined ? [opts.configFile] : [];
  const argv = [RINGCACHE_BIN, ...file, '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, ...toArgv(base), ...(opts.extra ?? [])];
  return launch(process.execPath, argv, port, dir, /Ready to accept connections/, opts);
}

/**
 * Runs `ringcache-server` with `args` (a config file first, then a free `--port`, `--save ""`
 * and the options) expecting it to stop
 * at start-up; resolves with its exit code and everything it printed (SIGKILL after 15 s).
 */
export async function failedStart(args: readonly string[]): Promise<{ code: number | null; out: string }> {
  // A config file stays the first argument, as the binary takes it.
  const file = args[0] !== undefined && !args[0].startsWith('--') ? [args[0]] : [];
  const rest = args.slice(file.length);
  const child = spawn(process.execPath, [RINGCACHE_BIN, ...file, '--port', String(await freePort()), '--save', '', ...rest], { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  clearTimeout(timer);
  live.delete(child);
  return { code, out };
}

/** Starts Debian's `redis-server` on a free loopback port with persistence off unless asked. */
export async function startRedis(opts: StartOptions = {}): Promise<ServerProcess> {
  const port = opts.port ?? (await freePort());
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'redis-test-'));
  const base: Record<string, string | number> = { save: '', appendonly: 'no', ...(opts.args ?? {}) };
  const argv = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, ...toArgv(base), ...(opts.extra ?? [])];
  return launch('redis-server', argv, port, dir, /Ready to accept connections/, opts);
}

/** Prints once why Redis-dependent tests are skipped. */
export function redisSkipReason(): string | null {
  if (hasRedis()) return null;
  return 'redis-server is not installed (apt-get install redis-server redis-tools redis-sentinel); skipping tests that need real Redis';
}
