/**
 * Client pub/sub across three real nodes, for each backend and protocol: channels placed on the
 * ring like keys, patterns heard from every shard, sharded channels, events and async iteration,
 * bounded buffering for a slow consumer, and resubscription after a node restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RingClient } from '../../src/client/ring-client.js';
import type { PubSubMessage, Subscription } from '../../src/client/pubsub/subscription.js';
import { hasRedis, startRedis, startRingcache, type ServerProcess } from '../helpers/processes.js';

const BACKENDS = [
  { name: 'ringcache-server', start: startRingcache, available: true },
  { name: 'redis-server', start: startRedis, available: hasRedis() },
];

/** Channels named `prefix<i>` until every shard owns at least `per` of them. */
function spread(c: RingClient, prefix: string, per = 1): string[] {
  const out: string[] = [];
  const count = new Map<string, number>();
  for (let i = 0; i < 1000 && (count.size < 3 || [...count.values()].some((n) => n < per)); i++) {
    const ch = `${prefix}${i}`;
    const s = c.locate(ch);
    if ((count.get(s) ?? 0) >= per) continue;
    count.set(s, (count.get(s) ?? 0) + 1);
    out.push(ch);
  }
  return out;
}

/** Buffering starts when iteration starts, so tests open the iterator right after subscribing. */
function iterate<M extends string | Buffer = string>(sub: Subscription<M>): AsyncIterator<PubSubMessage<M>> {
  return sub[Symbol.asyncIterator]();
}

async function take<M extends string | Buffer = string>(it: AsyncIterator<PubSubMessage<M>>, n: number): Promise<PubSubMessage<M>[]> {
  const out: PubSubMessage<M>[] = [];
  while (out.length < n) {
    const r = await it.next();
    if (r.done === true) break;
    out.push(r.value);
  }
  return out;
}

for (const backend of BACKENDS) {
  describe.skipIf(!backend.available)(`pub/sub on 3 × ${backend.name}`, () => {
    let nodes: ServerProcess[] = [];
    beforeAll(async () => {
      nodes = await Promise.all([0, 1, 2].map(() => backend.start()));
    });
    afterAll(async () => {
      await Promise.all(nodes.map((n) => n.stop()));
    });

    for (const protocol of [2, 3] as const) {
      describe(`RESP${protocol}`, () => {
        let c: RingClient;
        const p = `r${protocol}:`;
        beforeAll(() => {
          c = new RingClient({ shards: nodes.map((n, i) => ({ name: `s${i}`, master: `127.0.0.1:${n.port}` })), protocol, commandTimeoutMs: 3000 });
        });
        afterAll(async () => {
          await c.close();
        });

        it('delivers channels that live on different shards, as events and by iteration', async () => {
          const channels = spread(c, `${p}ch:`);
          const sub = await c.subscribe(channels);
          const events: string[] = [];
          sub.on('message', (channel: string, message: string) => events.push(`${channel}=${message}`));
          const it = sub[Symbol.asyncIterator]();
          for (const ch of channels) expect(await c.publish(ch, `hi ${ch}`)).toBe(1);
          const got: PubSubMessage[] = [];
          for (let i = 0; i < channels.length; i++) got.push((await it.next()).value as PubSubMessage);
          expect(got.map((m) => m.channel).sort()).toEqual([...channels].sort());
          expect(got.every((m) => m.type === 'message' && m.message === `hi ${m.channel}`)).toBe(true);
          expect(events.sort()).toEqual(channels.map((ch) => `${ch}=hi ${ch}`).sort());
          expect(Object.keys(c.stats().shards.filter((s) => (s.pubsub?.channels ?? 0) > 0))).toHaveLength(3);
          expect(await c.pubsubNumsub([channels[0]!])).toEqual({ [channels[0]!]: 1 });
          expect((await c.pubsubChannels(`${p}ch:*`)).sort()).toEqual([...channels].sort());
          await sub.unsubscribe(channels[0]!);
          expect(await c.publish(channels[0]!, 'gone')).toBe(0);
          await it.return!();
          expect(sub.closed).toBe(true);
          expect(await c.publish(channels[1]!, 'gone')).toBe(0);
        });

        it('hears a pattern from every shard, once per message', async () => {
          const sub = await c.psubscribe(`${p}news.*`);
          const it = iterate(sub);
          const channels = spread(c, `${p}news.`, 2);
          for (const ch of channels) await c.publish(ch, 'x');
          const got = await take(it, channels.length);
          expect(got.map((m) => m.channel).sort()).toEqual([...channels].sort());
          expect(got.every((m) => m.type === 'pmessage' && m.pattern === `${p}news.*`)).toBe(true);
          await c.publish(`${p}other`, 'not matched');
          await c.publish(channels[0]!, 'last');
          expect((await take(it, 1))[0]).toMatchObject({ channel: channels[0], message: 'last' });
          await sub.close();
        });

        it('shares a channel between subscriptions and keeps it until the last one leaves', async () => {
          const ch = `${p}shared`;
          const a = await c.subscribe(ch);
          const ia = iterate(a);
          const b = await c.subscribe([ch]);
          const ib = iterate(b);
          expect(await c.publish(ch, 'one')).toBe(1);
          expect((await take(ia, 1))[0]!.message).toBe('one');
          expect((await take(ib, 1))[0]!.message).toBe('one');
          await a.close();
          await c.publish(ch, 'two');
          expect((await take(ib, 1))[0]!.message).toBe('two');
          await b.close();
          expect(await c.publish(ch, 'three')).toBe(0);
        });

        it('supports sharded channels (SSUBSCRIBE / SPUBLISH)', async () => {
          const channels = spread(c, `${p}sch:`);
          const sub = await c.ssubscribe(channels);
          const it = iterate(sub);
          for (const ch of channels) expect(await c.spublish(ch, 'm')).toBe(1);
          const got = await take(it, channels.length);
          expect(got.every((m) => m.type === 'smessage')).toBe(true);
          expect(got.map((m) => m.channel).sort()).toEqual([...channels].sort());
          await sub.close();
        });

        it('bounds the buffer of a slow iterator: error policy closes with a coded error', async () => {
          const ch = `${p}flood`;
          const sub = await c.subscribe(ch, { maxBuffered: 3 });
          const it = sub[Symbol.asyncIterator]();
          const closed = new Promise((r) => sub.once('close', r));
          for (let i = 0; i < 6; i++) await c.publish(ch, String(i));
          await closed; // the 4th message overflowed the buffer of 3
          const seen: string[] = [];
          await expect(
            (async () => {
              for (;;) {
                const r = await it.next();
                if (r.done === true) return;
                seen.push(r.value.message);
              }
            })(),
          ).rejects.toMatchObject({ code: 'ERR_PUBSUB_OVERFLOW' });
          expect(seen).toEqual(['0', '1', '2']);
          expect(sub.closed).toBe(true);
          const drop = await c.subscribe(ch, { maxBuffered: 2, overflow: 'drop-oldest' });
          const it2 = drop[Symbol.asyncIterator]();
          let arrived = 0;
          const all = new Promise<void>((r) => drop.on('message', () => ++arrived === 5 && r()));
          for (let i = 0; i < 5; i++) await c.publish(ch, String(i));
          await all;
          expect((await it2.next()).value).toMatchObject({ message: '3' });
          expect(drop.dropped).toBe(3);
          await drop.close();
        });

        it('Buffer mode delivers binary payloads byte for byte, beside a string subscriber of the same channel', async () => {
          const ch = `${p}bin`;
          const payload = Buffer.from([0xff, 0x00, 0xc3, 0x28, 0x0d, 0x0a, 0x80]);
          const raw = await c.subscribe(ch, { buffers: true });
          const text = await c.subscribe(ch);
          const pat = await c.psubscribe(`${p}bi*`, { buffers: true });
          const ir = iterate(raw);
          const it = iterate(text);
          const ip = pat[Symbol.asyncIterator]();
          const events: Buffer[] = [];
          raw.on('message', (_ch: string, m: Buffer) => events.push(m));
          expect(await c.publish(ch, payload)).toBe(2); // one subscriber connection: channel + pattern
          const [m] = await take(ir, 1);
          expect(Buffer.isBuffer(m!.message)).toBe(true);
          expect(m!.message.equals(payload)).toBe(true);
          expect(m!.channel).toBe(ch);
          expect(events[0]!.equals(payload)).toBe(true);
          expect((await take(it, 1))[0]!.message).toBe(payload.toString('utf8'));
          const pm = (await ip.next()).value!;
          expect(pm).toMatchObject({ type: 'pmessage', pattern: `${p}bi*`, channel: ch });
          expect(pm.message.equals(payload)).toBe(true);
          await c.publish(ch, 'plain');
          expect((await take(ir, 1))[0]!.message).toEqual(Buffer.from('plain'));
          expect((await take(it, 1))[0]!.message).toBe('plain');
          await Promise.all([raw.close(), text.close(), pat.close()]);
        });

        it('refuses SUBSCRIBE through call() with a coded error', async () => {
          await expect(c.call('SUBSCRIBE', 'x')).rejects.toMatchObject({ code: 'ERR_STATE_COMMAND' });
        });
      });
    }

    it('resubscribes after a node restarts on the same port', async () => {
      const node = await backend.start();
      const c = new RingClient({ shards: [{ name: 'only', master: `127.0.0.1:${node.port}` }], commandTimeoutMs: 1000, reconnect: { maxDelayMs: 200 } });
      let again: ServerProcess | null = null;
      try {
        const sub = await c.subscribe('restart-ch');
        const pat = iterate(await c.psubscribe('restart-*'));
        const resubscribed = new Promise((r) => c.once('resubscribed', r));
        await node.stop();
        again = await backend.start({ port: node.port });
        await resubscribed;
        let got = false;
        sub.once('message', () => (got = true));
        for (let i = 0; i < 50 && !got; i++) {
          await c.publish('restart-ch', 'back').catch(() => 0);
          await new Promise((r) => setTimeout(r, 50));
        }
        expect(got).toBe(true);
        expect((await take(pat, 1))[0]).toMatchObject({ type: 'pmessage', channel: 'restart-ch' });
      } finally {
        await c.close();
        await again?.stop();
        await node.stop();
      }
    });
  });
}
