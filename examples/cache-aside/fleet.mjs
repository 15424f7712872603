// Starts a local fleet of ringcache-server processes on free loopback ports, and stops them.
class StartError extends Error {
  code = 'ERR_SERVER_START';
}

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../dist/bin/ringcache-server.js');

function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
  });
}

async function startNode() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ringcache-demo-'));
  const child = spawn(process.execPath, [BIN, '--port', String(port), '--dir', dir, '--save', ''], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((res, rej) => {
    let out = '';
    child.stdout.on('data', (d) => { out += d; if (out.includes('Ready to accept connections')) res(); });
    child.once('exit', (code) => rej(new StartError(`ringcache-server exited with ${code}`)));
  });
  return {
    port,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startFleet(n) {
  const nodes = await Promise.all(Array.from({ length: n }, startNode));
  process.once('exit', () => nodes.forEach((node) => node.stop()));
  return nodes;
}
