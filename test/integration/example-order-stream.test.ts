/**
 * Runs examples/order-stream/main.mjs (its own two-node fleet, a producer, two consumer-group
 * workers, one crashing with unacknowledged orders that the other claims back with XAUTOCLAIM) and
 * expects its exactly-once check to pass: exit code 0.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), '../../examples/order-stream/main.mjs');

describe('examples/order-stream', () => {
  it('processes every order exactly once across a worker crash', async () => {
    // Its own process group, so a hung demo is stopped with the fleet it started.
    const child = spawn(process.execPath, [MAIN], { env: { ...process.env, DEMO_ORDERS: '300' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    // Bounded: a demo that hangs is killed with its process group (its nodes and workers) and
    // fails with everything it printed.
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 100_000);
    const code = await exited.finally(() => clearTimeout(timer));
    expect(out).toContain('exactly-once: OK');
    expect(code, out).toBe(0);
  }, 120_000);
});
