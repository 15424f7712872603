/**
 * The metrics endpoint's HTTP listener (src/server/metrics/metrics-listener.ts): serves /metrics
 * (GET, HEAD), 404 and 405 elsewhere, moves between ports keeping the old one when the new one
 * cannot be bound, closes with port 0, serializes concurrent moves, and answers 500 when the
 * render fails.
 */
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MetricsListener } from '../../../../src/server/metrics/metrics-listener.js';
import { freePort } from '../../../helpers/processes.js';

const open: MetricsListener[] = [];
afterEach(async () => {
  for (const l of open.splice(0)) await l.close();
});

function listener(render: () => Promise<{ contentType: string; body: string }> = async () => ({ contentType: 'text/plain', body: 'm 1\n' })): { l: MetricsListener; errors: string[] } {
  const errors: string[] = [];
  const l = new MetricsListener(render, (m) => errors.push(m));
  open.push(l);
  return { l, errors };
}

/** One request on a connection of its own (the listener closes its connections when it moves). */
async function request(port: number, path = '/metrics', method = 'GET'): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers: { connection: 'close' } }).catch(() => null);
  return res === null ? { status: 0, body: '' } : { status: res.status, body: await res.text() };
}

describe('MetricsListener', () => {
  it('serves /metrics (GET and HEAD), 404 elsewhere, 405 for other methods', async () => {
    const { l } = listener();
    const port = await freePort();
    expect(await l.apply(port, '127.0.0.1')).toBeNull();
    expect(l.port).toBe(port);
    expect(await request(port)).toEqual({ status: 200, body: 'm 1\n' });
    expect(await request(port, '/metrics?x=1')).toEqual({ status: 200, body: 'm 1\n' });
    expect(await request(port, '/metrics', 'HEAD')).toEqual({ status: 200, body: '' });
    expect((await request(port, '/')).status).toBe(404);
    expect((await request(port, '/metrics', 'DELETE')).status).toBe(405);
  });

  it('moves to another port, keeps the old one when the new one is taken, closes with 0', async () => {
    const { l, errors } = listener();
    const [a, b] = [await freePort(), await freePort()];
    expect(await l.apply(a, '127.0.0.1')).toBeNull();
    expect(await l.apply(b, '127.0.0.1')).toBeNull();
    expect((await request(b)).status).toBe(200);
    expect((await request(a)).status).toBe(0);
    const blocker: Server = createServer();
    const busy = await freePort();
    await new Promise<void>((r) => blocker.listen(busy, '127.0.0.1', r));
    try {
      expect(await l.apply(busy, '127.0.0.1')).toBe('Unable to listen on this port');
      expect(errors.some((e) => e.includes(`127.0.0.1:${busy}`))).toBe(true);
      expect(l.port).toBe(b);
      expect((await request(b)).status).toBe(200);
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }
    expect(await l.apply(0, '127.0.0.1')).toBeNull();
    expect(l.port).toBe(0);
    expect((await request(b)).status).toBe(0);
  });

  it('serializes concurrent moves: the last one wins', async () => {
    const { l } = listener();
    const ports = [await freePort(), await freePort(), await freePort()];
    const results = await Promise.all(ports.map((p) => l.apply(p, '127.0.0.1')));
    expect(results).toEqual([null, null, null]);
    expect(l.port).toBe(ports[2]);
    expect((await request(ports[2]!)).status).toBe(200);
    expect((await request(ports[0]!)).status).toBe(0);
  });

  it('answers 500 when rendering fails, and keeps serving', async () => {
    let fail = true;
    const { l, errors } = listener(async () => {
      if (fail) throw new RangeError('boom');
      return { contentType: 'text/plain', body: 'ok\n' };
    });
    const port = await freePort();
    await l.apply(port, '127.0.0.1');
    expect((await request(port)).status).toBe(500);
    expect(errors).toContain('Metrics endpoint: boom');
    fail = false;
    expect(await request(port)).toEqual({ status: 200, body: 'ok\n' });
  });
});
