// Starts ringcache-server (from dist/) and redis-server on free loopback ports for benchmarks,
// and stops them. Every process started here is killed on exit.
class StartError extends Error {
  code = 'ERR_SERVER_START';
}

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const live = new Set();
process.on('exit', () => { for (const p of live) p.kill('SIGKILL'); });

export function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
  });
}

async function launch(cmd, args, port) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-'));
  const child = spawn(cmd, [...args, '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let out = '';
  await new Promise((res, rej) => {
    const t = setTimeout(() => rej(new StartError(`${cmd} did not start:\n${out}`)), 15000);
    const on = (d) => { out += d; if (/Ready to accept connections/.test(out)) { clearTimeout(t); res(); } };
    child.stdout.on('data', on);
    child.stderr.on('data', on);
    child.once('exit', (c) => { clearTimeout(t); rej(new StartError(`${cmd} exited ${c}:\n${out}`)); });
  });
  return {
    port,
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      live.delete(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startRingcache(extra = []) {
  const port = await freePort();
  // BENCH_NODE_ARGS passes node flags to the server, e.g. "--cpu-prof --cpu-prof-dir=.tmp/prof".
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  return launch(process.execPath, [...nodeArgs, join(ROOT, 'dist/bin/ringcache-server.js'), '--port', String(port), '--save', '', ...extra], port);
}

export async function startRedis(extra = []) {
  const port = await freePort();
  return launch('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extra], port);
}
