/**
 * Hashes on an embedded server: listpack-like insertion order and conversion to the table encoding
 * at Redis's limits, HSCAN's guarantee on a large hash that changes during the sweep, HRANDFIELD's
 * shapes and sampling rules, HINCRBYFLOAT propagated as HSET, and the memory estimate.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type RingcacheServer } from '../../../../src/server/server.js';
import { RawClient, frameEnd } from '../../../helpers/raw-client.js';

let srv: RingcacheServer;
let port: number;
let c: RawClient;
const propagated: string[] = [];

/** Flattens a reply of (nested) arrays/maps of bulk strings into its strings. */
function strings(reply: string): string[] {
  return [...reply.matchAll(/\$\d+\r\n([^\r]*)\r\n/g)].map((m) => m[1]!);
}

/** Top-level child frames of an aggregate reply. */
function frames(reply: string): string[] {
  const buf = Buffer.from(reply, 'latin1');
  const out: string[] = [];
  for (let pos = reply.indexOf('\r\n') + 2; pos < buf.length; ) {
    const end = frameEnd(buf, pos);
    out.push(reply.slice(pos, end));
    pos = end;
  }
  return out;
}

async function hscanAll(key: string, count: number, between: (round: number) => Promise<void>): Promise<Set<string>> {
  const seen = new Set<string>();
  let cursor = '0';
  let round = 0;
  do {
    const [cur, elems] = frames(await c.call('HSCAN', key, cursor, 'COUNT', String(count)));
    cursor = strings(cur!)[0]!;
    strings(elems!).forEach((s, i) => i % 2 === 0 && seen.add(s));
    await between(round++);
  } while (cursor !== '0' && round < 100_000);
  return seen;
}

beforeAll(async () => {
  srv = createServer({ config: { port: 0 }, logSink: () => {} });
  port = await srv.listen();
  srv.sinks.push({ propagate: (db, argv) => propagated.push(`${db}:${argv.join(' ')}`) });
  c = await RawClient.connect(port);
});

afterEach(async () => {
  await c.call('FLUSHALL');
  await c.call('HELLO', '2');
  await c.call('CONFIG', 'SET', 'hash-max-listpack-entries', '128');
  propagated.length = 0;
});

afterAll(async () => {
  c.close();
  await srv.close();
});

describe('hash encodings', () => {
  it('keeps insertion order (updates in place, deletions close the gap) while small', async () => {
    await c.call('HSET', 'h', 'c', '1', 'a', '2', 'b', '3');
    await c.call('HSET', 'h', 'a', '20', 'd', '4');
    await c.call('HDEL', 'h', 'c');
    expect(strings(await c.call('HGETALL', 'h'))).toEqual(['a', '20', 'b', '3', 'd', '4']);
    const scan = await c.call('HSCAN', 'h', '7', 'COUNT', '1');
    expect(strings(scan)).toEqual(['0', 'a', '20', 'b', '3', 'd', '4']);
  });

  it('converts past hash-max-listpack-entries or for a long value, and then pages HSCAN', async () => {
    await c.call('CONFIG', 'SET', 'hash-max-listpack-entries', '4');
    await c.call('HSET', 'h', ...Array.from({ length: 5 }, (_, i) => [`f${i}`, 'v']).flat());
    const page = strings(await c.call('HSCAN', 'h', '0', 'COUNT', '2'));
    expect(page[0]).not.toBe('0');
    expect(page.length).toBe(5);
    await c.call('HSET', 'long', 'a', '1', 'b', 'x'.repeat(65));
    expect(strings(await c.call('HSCAN', 'long', '0', 'COUNT', '1')).length).toBe(3);
  });

  it('a full HSCAN meets every field present throughout while the hash grows and shrinks', async () => {
    const n = 2000;
    await c.call('HSET', 'big', ...Array.from({ length: n }, (_, i) => [`f${i}`, String(i)]).flat());
    // Between pages: delete the odd fields below 1000, add new ones, delete some of the new ones.
    const seen = await hscanAll('big', 25, async (round) => {
      if (round < 500) await c.call('HDEL', 'big', `f${round * 2 + 1}`, `n${round - 3}`);
      await c.call('HSET', 'big', `n${round}`, 'x');
    });
    for (let i = 1000; i < n; i++) expect(seen.has(`f${i}`)).toBe(true);
    for (let i = 0; i < 1000; i += 2) expect(seen.has(`f${i}`)).toBe(true);
  });
});

describe('HRANDFIELD', () => {
  it('samples distinct fields in listpack order, repeats for a negative count, whole hash past the size', async () => {
    const fields = Array.from({ length: 20 }, (_, i) => `f${i}`);
    await c.call('HSET', 'h', ...fields.flatMap((f) => [f, `v${f}`]));
    for (let round = 0; round < 20; round++) {
      const picked = strings(await c.call('HRANDFIELD', 'h', '5'));
      expect(new Set(picked).size).toBe(5);
      expect([...picked].sort((a, b) => fields.indexOf(a) - fields.indexOf(b))).toEqual(picked);
    }
    expect(strings(await c.call('HRANDFIELD', 'h', '-50')).length).toBe(50);
    expect(strings(await c.call('HRANDFIELD', 'h', '100'))).toEqual(fields);
    expect(fields).toContain(strings(await c.call('HRANDFIELD', 'h'))[0]);
  });

  it('WITHVALUES is flat in RESP2 and pairs in RESP3; a missing key gives null or empty', async () => {
    await c.call('HSET', 'h', 'a', '1', 'b', '2');
    expect(await c.call('HRANDFIELD', 'h', '5', 'WITHVALUES')).toBe('*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n');
    await c.call('HELLO', '3');
    expect(await c.call('HRANDFIELD', 'h', '5', 'WITHVALUES')).toBe('*2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n');
    const neg = frames(await c.call('HRANDFIELD', 'h', '-3', 'WITHVALUES'));
    expect(neg.length).toBe(3);
    for (const pair of neg) expect(['*2\r\n$1\r\na\r\n$1\r\n1\r\n', '*2\r\n$1\r\nb\r\n$1\r\n2\r\n']).toContain(pair);
    expect(await c.call('HRANDFIELD', 'none')).toBe('_\r\n');
    expect(await c.call('HRANDFIELD', 'none', '3')).toBe('*0\r\n');
  });

  it('samples a large (table) hash without repeats for a positive count', async () => {
    await c.call('HSET', 'big', ...Array.from({ length: 300 }, (_, i) => [`f${i}`, 'v']).flat());
    for (const n of ['10', '250']) {
      const picked = strings(await c.call('HRANDFIELD', 'big', n));
      expect(new Set(picked).size).toBe(Number(n));
    }
  });
});

describe('propagation and memory', () => {
  it('HINCRBYFLOAT propagates as HSET with the result; HRANDFIELD and failed writes propagate nothing', async () => {
    expect(await c.call('HINCRBYFLOAT', 'h', 'f', '1.5')).toBe('$3\r\n1.5\r\n');
    await c.call('HRANDFIELD', 'h', '2');
    await c.call('HSETNX', 'h', 'f', 'x');
    await c.call('HDEL', 'h', 'nope');
    await c.call('HINCRBY', 'h', 'f', '1');
    expect(propagated).toEqual(['0:HSET h f 1.5']);
  });

  it('MEMORY USAGE grows with the hash and an emptied hash deletes its key', async () => {
    await c.call('HSET', 'h', 'a', '1');
    const small = Number((await c.call('MEMORY', 'USAGE', 'h')).slice(1));
    await c.call('HSET', 'h', ...Array.from({ length: 1000 }, (_, i) => [`field:${i}`, `value:${i}`]).flat());
    const big = Number((await c.call('MEMORY', 'USAGE', 'h')).slice(1));
    expect(big).toBeGreaterThan(small + 1000 * 60);
    await c.call('HDEL', 'h', 'a', ...Array.from({ length: 1000 }, (_, i) => `field:${i}`));
    expect(await c.call('EXISTS', 'h')).toBe(':0\r\n');
  });
});
