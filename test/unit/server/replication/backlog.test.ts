/**
 * The replication backlog (circular buffer + offsets, Redis semantics) and the canonical stream
 * encoding whose length a replica recomputes from argv.
 */
import { describe, expect, it } from 'vitest';
import { ReplBacklog } from '../../../../src/server/replication/backlog.js';
import { encodedLength, StreamEncoder } from '../../../../src/server/replication/stream-encoder.js';

describe('ReplBacklog', () => {
  it('keeps the last size bytes across wrap-around and serves them by offset', () => {
    const b = new ReplBacklog(16 * 1024);
    const all: number[] = [];
    for (let i = 0; i < 5000; i++) {
      const chunk = Buffer.from(`cmd-${i};`);
      b.append(chunk, 0, chunk.length);
      all.push(...chunk);
    }
    expect(b.offset).toBe(all.length);
    expect(b.histlen).toBe(16 * 1024);
    expect(b.firstByteOffset).toBe(all.length - 16 * 1024 + 1);
    const from = all.length - 1000 + 1;
    expect(b.copyFrom(from)).toEqual(Buffer.from(all.slice(from - 1)));
    expect(b.copyFrom(b.offset + 1)).toEqual(Buffer.alloc(0));
    expect(b.copyFrom(b.firstByteOffset - 1)).toBeNull();
    expect(b.has(b.offset + 2)).toBe(false);
  });

  it('restarts at a given offset and resizes keeping the most recent bytes', () => {
    const b = new ReplBacklog(16 * 1024);
    b.reset(100);
    expect(b.firstByteOffset).toBe(101);
    const data = Buffer.alloc(20_000, 7);
    data[19_999] = 9;
    b.append(data, 0, data.length);
    b.resize(32 * 1024);
    expect(b.offset).toBe(20_100);
    expect(b.copyFrom(20_100)).toEqual(Buffer.from([9]));
  });
});

describe('StreamEncoder', () => {
  it('writes canonical RESP whose length encodedLength predicts', () => {
    const e = new StreamEncoder();
    const argv = ['SET', 'k', 'x'.repeat(1234), ''];
    e.encode(argv);
    expect(e.bytes.subarray(0, e.length).toString('latin1')).toBe(`*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$1234\r\n${'x'.repeat(1234)}\r\n$0\r\n\r\n`);
    expect(e.length).toBe(encodedLength(argv));
  });
});
