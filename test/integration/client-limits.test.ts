/**
 * Limits against bad or slow clients on a real ringcache-server process: a subscriber that never
 * reads is disconnected by the pubsub output-buffer limit while server memory stays bounded; an
 * oversized request is cut off by client-query-buffer-limit; a huge reply to a normal client hits
 * the normal class's limit; maxclients refuses with Redis's text; idle clients time out, but not
 * subscribers or blocked clients. Each case checks Redis's log line and that others are served.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRingcache, type ServerProcess } from '../helpers/processes.js';
import { RawClient, encodeCommand } from '../helpers/raw-client.js';

async function infoField(c: RawClient, field: string): Promise<number> {
  const text = await c.call('INFO', 'everything');
  return Number(new RegExp(`\r\n${field}:([^\r]*)`).exec(text)![1]);
}

/** A raw socket that subscribes to `channel`, reads the confirmation, and then never reads again. */
async function stalledSubscriber(port: number, channel: string): Promise<net.Socket> {
  const s = net.connect({ port, host: '127.0.0.1' });
  await new Promise<void>((r, j) => {
    s.once('connect', () => r());
    s.once('error', j);
  });
  s.on('error', () => {});
  s.write(encodeCommand(['SUBSCRIBE', channel]));
  await new Promise<void>((r) => s.once('data', () => r()));
  s.pause();
  return s;
}

describe('client limits', () => {
  let srv: ServerProcess;
  let c: RawClient;
  beforeAll(async () => {
    srv = await startRingcache({
      args: { 'client-output-buffer-limit': 'pubsub 1mb 512kb 60', 'client-query-buffer-limit': '1mb' },
    });
    c = await RawClient.connect(srv.port);
  });
  afterAll(async () => {
    c?.close();
    await srv?.stop();
  });

  it('CONFIG GET shows every output-buffer class after setting one', async () => {
    expect(await c.call('CONFIG', 'GET', 'client-output-buffer-limit')).toBe(
      '*2\r\n$26\r\nclient-output-buffer-limit\r\n$65\r\nnormal 0 0 0 slave 268435456 67108864 60 pubsub 1048576 524288 60\r\n',
    );
  });

  it('a subscriber that does not read is disconnected and server memory stays bounded', async () => {
    const sub = await stalledSubscriber(srv.port, 'news');
    const startup = await infoField(c, 'used_memory_startup');
    const message = 'm'.repeat(100 * 1024);
    let maxUsed = 0;
    let receivers = 1;
    // The kernel's socket buffers absorb a few MB first; 2000 × 100 kB is a generous bound.
    for (let i = 0; i < 2000 && receivers > 0; i++) {
      receivers = Number((await c.call('PUBLISH', 'news', message)).slice(1));
      if (i % 10 === 0) maxUsed = Math.max(maxUsed, (await infoField(c, 'used_memory')) - startup);
    }
    expect(receivers).toBe(0);
    await srv.waitFor(/Client id=\d+ addr=\S+ .*flags=P .*sub=1 .* scheduled to be closed ASAP for overcoming of output buffer limits\./);
    expect(maxUsed).toBeLessThan(4 * 1024 * 1024);
    expect(await c.call('PUBSUB', 'NUMSUB', 'news')).toBe('*2\r\n$4\r\nnews\r\n:0\r\n');
    expect(await infoField(c, 'client_output_buffer_limit_disconnections')).toBe(1);
    expect(await infoField(c, 'mem_clients_normal')).toBeLessThan(64 * 1024);
    expect(await c.call('PING')).toBe('+PONG\r\n');
    sub.destroy();
  });

  it('a client whose request exceeds client-query-buffer-limit is closed; others are served', async () => {
    const big = await RawClient.connect(srv.port);
    big.writeRaw('*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$5000000\r\n');
    const chunk = 'z'.repeat(64 * 1024);
    for (let i = 0; i < 32; i++) big.writeRaw(chunk);
    await big.closed(10_000);
    await srv.waitFor(/Closing client that reached max query buffer length: id=\d+ addr=\S+ .* \(qbuf initial bytes: "zzzz/);
    expect(await c.call('EXISTS', 'big')).toBe(':0\r\n');
    expect(await c.call('PING')).toBe('+PONG\r\n');
    expect(await infoField(c, 'client_query_buffer_limit_disconnections')).toBe(1);
    expect(await infoField(c, 'mem_clients_normal')).toBeLessThan(64 * 1024);
  });

  it('a reply larger than the normal class hard limit closes that client only', async () => {
    // (The value must stay under this server's 1mb client-query-buffer-limit to be stored.)
    await c.call('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 512kb 0 0');
    await c.call('SET', 'huge', 'h'.repeat(800 * 1024));
    const reader = await RawClient.connect(srv.port);
    reader.send(['GET', 'huge']);
    await reader.closed(10_000);
    await srv.waitFor(/Client id=\d+ .*flags=N .*cmd=get .* scheduled to be closed ASAP for overcoming of output buffer limits\./);
    await c.call('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 0 0 0');
    expect(await c.call('STRLEN', 'huge')).toBe(':819200\r\n');
    await c.call('DEL', 'huge');
  });
});

describe('maxclients and timeout', () => {
  let srv: ServerProcess;
  beforeAll(async () => {
    srv = await startRingcache({ args: { maxclients: 3, timeout: 1 } });
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it('maxclients refuses further connections with Redis error text', async () => {
    const a = await RawClient.connect(srv.port);
    const b = await RawClient.connect(srv.port);
    const d = await RawClient.connect(srv.port);
    expect(await a.call('PING')).toBe('+PONG\r\n');
    const refused = await RawClient.connect(srv.port);
    expect((await refused.next()).toString()).toBe('-ERR max number of clients reached\r\n');
    await refused.closed();
    expect(await b.call('INFO', 'stats')).toMatch(/\r\nrejected_connections:1\r\n/);
    d.close();
    await expect.poll(async () => Number(/connected_clients:(\d+)/.exec(await a.call('INFO', 'clients'))![1])).toBe(2);
    const again = await RawClient.connect(srv.port);
    expect(await again.call('PING')).toBe('+PONG\r\n');
    for (const x of [a, b, again]) x.close();
    await expect.poll(async () => {
      const probe = await RawClient.connect(srv.port);
      const n = Number(/connected_clients:(\d+)/.exec(await probe.call('INFO', 'clients'))![1]);
      probe.close();
      return n;
    }).toBe(1);
  });

  it('timeout closes idle normal clients but never subscribers or blocked clients', async () => {
    const idle = await RawClient.connect(srv.port);
    const sub = await RawClient.connect(srv.port);
    const blocked = await RawClient.connect(srv.port);
    expect(await idle.call('PING')).toBe('+PONG\r\n');
    await sub.call('SUBSCRIBE', 'ch');
    blocked.send(['BLPOP', 'queue', '0']);
    await idle.closed(10_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await sub.call('PING')).toBe('*2\r\n$4\r\npong\r\n$0\r\n\r\n');
    const pusher = await RawClient.connect(srv.port);
    expect(await pusher.call('RPUSH', 'queue', 'job')).toBe(':1\r\n');
    expect((await blocked.next()).toString()).toBe('*2\r\n$5\r\nqueue\r\n$3\r\njob\r\n');
    for (const x of [sub, blocked, pusher]) x.close();
  });
});
