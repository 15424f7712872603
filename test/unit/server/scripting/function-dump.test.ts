import { describe, expect, it } from 'vitest';
import { crc64 } from '../../../../src/server/persistence/rdb/crc64.js';
import { dumpFunctions, readFunctions, verifyPayload } from '../../../../src/server/scripting/function-dump.js';

/** FUNCTION DUMP of real redis-server 7.0.15 (its library code is LZF-compressed in the payload). */
const REDIS_DUMP =
  'f5c3407840a11f23216c7561206e616d653d6d796c69620a72656469732e72656769737465725f0b66756e6374696f6e28226d79400b02222c2040066012116b6579732c2061726773292072657475726e2006403d0863616c6c2822474554202d4024135b315d2920656e64290a2d2d2070616464696e67e01d07016e670a00b7a3600dea19ed64';
const REDIS_CODE =
  '#!lua name=mylib\nredis.register_function("myfunc", function(keys, args) return redis.call("GET", keys[1]) end)\n-- padding padding padding padding padding padding';

describe('FUNCTION DUMP / RESTORE payloads', () => {
  it('round-trips library codes, short and long, compressed or not', () => {
    const codes = ['#!lua name=a\nredis.register_function("f", function() return 1 end)', `#!lua name=b\n${'-- x\n'.repeat(5000)}`];
    for (const compress of [true, false]) {
      const payload = dumpFunctions(codes, compress);
      expect(verifyPayload(payload)).toBe(true);
      expect(readFunctions(payload)).toEqual(codes);
    }
    expect(dumpFunctions(codes, true).length).toBeLessThan(dumpFunctions(codes, false).length);
  });

  it("reads a payload written by redis-server (LZF-compressed string)", () => {
    const p = Buffer.from(REDIS_DUMP, 'hex');
    expect(verifyPayload(p)).toBe(true);
    expect(readFunctions(p)).toEqual([REDIS_CODE]);
  });

  it('refuses a flipped byte, a newer RDB version and a truncated payload', () => {
    const p = dumpFunctions(['#!lua name=a\nreturn 1']);
    const flipped = Buffer.from(p);
    flipped[3] = flipped[3]! ^ 1;
    expect(verifyPayload(flipped)).toBe(false);
    const newer = Buffer.from(p);
    newer[newer.length - 10] = 11;
    expect(verifyPayload(newer)).toBe(false);
    expect(verifyPayload(p.subarray(0, 9))).toBe(false);
  });

  it('reports a record that is not a function', () => {
    const body = Buffer.from([0x00, 0x01, 0x61]);
    const head = Buffer.concat([body, Buffer.from([10, 0])]);
    const crc = Buffer.alloc(8);
    crc.writeBigUInt64LE(crc64(head));
    expect(readFunctions(Buffer.concat([head, crc]))).toBe('ERR given type is not a function');
  });
});
