/**
 * String values kept as ByteStrings (keyspace/string-value.ts): big values edited in place by
 * SETRANGE, SETBIT, APPEND, BITFIELD and BITOP read back byte for byte against a Buffer model,
 * survive a snapshot round trip (DEBUG RELOAD) and DUMP/RESTORE, are cloned (not shared) by COPY,
 * keep the memory account exact, and grow by Redis's sds rule.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ByteString } from '../../../../src/server/datatypes/structures/byte-string.js';
import { createServer, type RingcacheServer } from '../../../../src/server/server.js';
import { RawClient } from '../../../helpers/raw-client.js';

/** The payload of a bulk reply frame. */
function bulk(frame: string): Buffer {
  return Buffer.from(frame.slice(frame.indexOf('\r\n') + 2, -2), 'latin1');
}

describe('big string values edited in place', () => {
  let srv: RingcacheServer;
  let c: RawClient;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'string-value-'));
    srv = createServer({ config: { port: 0, dir, 'enable-debug-command': 'yes' }, logSink: () => {} });
    c = await RawClient.connect(await srv.listen());
  });
  afterAll(async () => {
    c.close();
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads back what a model of the edits holds, through a reload, DUMP/RESTORE and COPY', async () => {
    await c.call('FLUSHALL');
    const model = Buffer.alloc(9000);
    expect(await c.call('SETRANGE', 'v', '5000', 'abc')).toBe(':5003\r\n');
    model.write('abc', 5000, 'latin1');
    for (const bit of [7, 100, 40_000, 71_999]) {
      await c.call('SETBIT', 'v', String(bit), '1');
      model[bit >>> 3]! |= 0x80 >> (bit & 7);
    }
    await c.call('APPEND', 'v', 'tail');
    const len = 9004;
    const expected = Buffer.concat([model, Buffer.from('tail')]).subarray(0, len);
    expected.write('tail', 9000, 'latin1');
    await c.call('BITFIELD', 'v', 'SET', 'u8', '#10', '255');
    expected[10] = 255;

    expect(bulk(await c.call('GET', 'v')).equals(expected)).toBe(true);
    expect(bulk(await c.call('GETRANGE', 'v', '4990', '5010')).equals(expected.subarray(4990, 5011))).toBe(true);
    expect(await c.call('STRLEN', 'v')).toBe(`:${len}\r\n`);
    expect(await c.call('OBJECT', 'ENCODING', 'v')).toBe('$3\r\nraw\r\n');

    // COPY clones: an edit of the copy leaves the original alone.
    await c.call('COPY', 'v', 'w');
    await c.call('SETBIT', 'w', '0', '1');
    expect(bulk(await c.call('GET', 'v'))[0]).toBe(expected[0]);
    expect(bulk(await c.call('GET', 'w'))[0]).toBe(expected[0]! | 0x80);

    const dump = bulk(await c.call('DUMP', 'v'));
    expect(await c.call('RESTORE', 'r', '0', dump)).toBe('+OK\r\n');
    expect(bulk(await c.call('GET', 'r')).equals(expected)).toBe(true);

    expect(await c.call('DEBUG', 'RELOAD')).toBe('+OK\r\n');
    expect(bulk(await c.call('GET', 'v')).equals(expected)).toBe(true);
    // After the reload the value is a plain string again; an edit turns it back into bytes.
    await c.call('SETBIT', 'v', '1', '1');
    expected[0]! |= 0x40;
    expect(bulk(await c.call('GET', 'v')).equals(expected)).toBe(true);
    expect(srv.keyspace.recountMemory()).toBe(srv.keyspace.memory.dataset);
  });

  it('BITOP reuses the destination, also when it is the first source, and accounts its memory', async () => {
    await c.call('FLUSHALL');
    const a = Buffer.alloc(6000, 0x0f);
    const b = Buffer.alloc(5000, 0x3c);
    await c.call('SET', 'a', a);
    await c.call('SET', 'b', b);
    await c.call('BITOP', 'NOT', 'd', 'a');
    expect(bulk(await c.call('GET', 'd')).equals(Buffer.alloc(6000, 0xf0))).toBe(true);
    await c.call('BITOP', 'OR', 'd', 'd', 'b');
    const or = Buffer.alloc(6000, 0xf0);
    for (let i = 0; i < 5000; i++) or[i] = 0xf0 | 0x3c;
    expect(bulk(await c.call('GET', 'd')).equals(or)).toBe(true);
    await c.call('BITOP', 'AND', 'd', 'b', 'd');
    const and = Buffer.alloc(6000);
    for (let i = 0; i < 5000; i++) and[i] = 0x3c & or[i]!;
    expect(bulk(await c.call('GET', 'd')).equals(and)).toBe(true);
    expect(srv.keyspace.recountMemory()).toBe(srv.keyspace.memory.dataset);
  });
});

describe('ByteString', () => {
  it('grows by the sds rule (double below 1 MB, then 1 MB more) and zero-fills what it adds', () => {
    const b = ByteString.fromText('abc');
    b.growZero(10);
    expect(b.capacity).toBe(20);
    expect(b.text()).toBe('abc' + '\0'.repeat(7));
    b.writeText('xy', 9);
    expect(b.len).toBe(11);
    expect(b.capacity).toBe(20);
    b.growZero(2 << 20);
    expect(b.capacity).toBe(3 << 20);
    expect(b.buf[10]).toBe(0x79);
    expect(b.buf[11]).toBe(0);
    expect(b.buf[(2 << 20) - 1]).toBe(0);
    const copy = b.clone();
    copy.buf[0] = 0;
    expect(b.buf[0]).toBe(0x61);
    expect(copy.capacity).toBe(copy.len);
  });
});
