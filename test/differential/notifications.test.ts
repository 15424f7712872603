/**
 * Differential test of keyspace notifications (`notify-keyspace-events`) for the classes built so
 * far (g, $ for SET/MSET, x): RESP2 and RESP3 pattern subscribers and a writer per server; every
 * frame compared byte for byte with redis-server 7.0, including class filtering, K-only / E-only,
 * other databases, and a RESP3 subscriber's own writes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Differential } from '../helpers/differential.js';
import { MultiDifferential } from '../helpers/multi-differential.js';
import { redisSkipReason } from '../helpers/processes.js';

const skip = redisSkipReason();
const s = (line: string): string[] => line.split(' ');

const SCRIPT: [number, string[]][] = [
  [0, s('PSUBSCRIBE __key*@0__:*')],
  [2, s('PSUBSCRIBE __keyevent@*__:*')],
  [1, s('CONFIG SET notify-keyspace-events KEgx$')],
  [1, s('SET a 1')],
  [1, s('SET b 2 EX 100')],
  [1, s('SET b 3 NX')],
  [1, s('MSET a 1 c 3')],
  [1, s('DEL a nokey c')],
  [1, s('UNLINK b')],
  [1, s('SET b 1')],
  [1, s('EXPIRE b 200')],
  [1, s('EXPIRE nokey 200')],
  [1, s('PEXPIREAT b 1')],
  [1, s('SET r 1')],
  [1, s('RENAME r r2')],
  [1, s('RENAME r2 r2')],
  [1, s('RENAMENX r2 r3')],
  [1, s('SETNX n 1')],
  [1, s('SETNX n 2')],
  [1, s('SETEX n 100 v')],
  [1, s('PSETEX n 100000 v')],
  [1, s('PERSIST n')],
  [1, s('PERSIST n')],
  [1, s('GETEX n EX 100')],
  [1, s('GETEX n PERSIST')],
  [1, s('GETEX n')],
  [1, s('GETSET n 5')],
  [1, s('INCR n')],
  [1, s('DECRBY n 3')],
  [1, s('INCRBYFLOAT n 1.5')],
  [1, s('APPEND n x')],
  [1, s('SETRANGE n 1 yy')],
  [1, s('SETRANGE n 1 ')],
  [1, s('MSETNX m1 1 m2 2')],
  [1, s('MSETNX m1 1 m3 2')],
  [1, s('GETDEL n')],
  [1, s('GETDEL n')],
  [1, s('COPY m1 m9')],
  [1, s('COPY m1 m9 DB 3')],
  [1, s('MOVE m2 4')],
  [1, s('GETEX m1 PXAT 1')],
  [1, s('CONFIG SET notify-keyspace-events KEgh')],
  [1, s('HSET h f 1 g 2')],
  [1, s('HSETNX h f 1')],
  [1, s('HSETNX h n 1')],
  [1, s('HMSET h a 1')],
  [1, s('HINCRBY h f 2')],
  [1, s('HINCRBYFLOAT h f 2.5')],
  [1, s('HDEL h zz')],
  [1, s('HDEL h f g')],
  [1, s('HDEL h n a')],
  [1, s('CONFIG SET notify-keyspace-events KEgl')],
  [1, s('LPUSH l a b c')],
  [1, s('RPUSH l d')],
  [1, s('LPUSHX nol a')],
  [1, s('RPUSHX l e')],
  [1, s('LSET l 0 z')],
  [1, s('LINSERT l BEFORE z y')],
  [1, s('LINSERT l BEFORE nothere y')],
  [1, s('LREM l 1 y')],
  [1, s('LREM l 1 nothere')],
  [1, s('LPOP l')],
  [1, s('RPOP l 2')],
  [1, s('LMOVE l l2 LEFT RIGHT')],
  [1, s('RPOPLPUSH l2 l2')],
  [1, s('LMPOP 2 nol l2 LEFT COUNT 5')],
  [1, s('RPUSH l3 a b c d')],
  [1, s('LTRIM l3 1 2')],
  [1, s('LTRIM l3 5 6')],
  [1, s('RPUSH l4 a b')],
  [1, s('BLPOP l4 0')],
  [1, s('BRPOP l4 0')],
  [1, s('RPUSH l5 a')],
  [1, s('LMOVE l5 l6 RIGHT LEFT')],
  [1, s('CONFIG SET notify-keyspace-events KEgs')],
  [1, s('SADD s a b c')],
  [1, s('SADD s a')],
  [1, s('SREM s a zz')],
  [1, s('SREM s zz')],
  [1, s('SMOVE s s2 b')],
  [1, s('SMOVE s s2 zz')],
  [1, s('SMOVE s s2 c')],
  [1, s('SADD s3 x y')],
  [1, s('SINTERSTORE d s2 s3')],
  [1, s('SUNIONSTORE d s2 s3')],
  [1, s('SDIFFSTORE d s2 s2')],
  [1, s('SDIFFSTORE d s2 s2')],
  [1, s('SADD one m')],
  [1, s('SPOP one')],
  [1, s('SPOP one')],
  [1, s('CONFIG SET notify-keyspace-events KEgz')],
  [1, s('ZADD z 1 a 2 b 3 c 4 d 5 e 6 f')],
  [1, s('ZADD z 1 a')],
  [1, s('ZADD z XX CH 9 a')],
  [1, s('ZADD z INCR 1 a')],
  [1, s('ZINCRBY z 2 b')],
  [1, s('ZREM z a zz')],
  [1, s('ZREM z zz')],
  [1, s('ZREMRANGEBYSCORE z 3 3')],
  [1, s('ZREMRANGEBYRANK z 0 0')],
  [1, s('ZREMRANGEBYLEX z [d [d')],
  [1, s('ZPOPMIN z')],
  [1, s('ZPOPMAX z')],
  [1, s('ZADD y 1 p 2 q')],
  [1, s('ZUNIONSTORE u 2 y nokey')],
  [1, s('ZINTERSTORE u 2 y nokey')],
  [1, s('ZINTERSTORE u 2 y nokey')],
  [1, s('ZDIFFSTORE u 1 y')],
  [1, s('ZRANGESTORE r y 0 0')],
  [1, s('ZRANGESTORE r y 5 6')],
  [1, s('ZMPOP 1 y MIN')],
  [1, s('BZPOPMAX y 0')],
  [1, s('CONFIG SET notify-keyspace-events KEgx$')],
  [2, s('SET own 1')],
  [2, s('INCR own')],
  [2, s('DEL own')],
  [1, s('CONFIG SET notify-keyspace-events Eg')],
  [1, s('SET x 1')],
  [1, s('DEL x')],
  [1, s('CONFIG SET notify-keyspace-events K$')],
  [1, s('SET x 1')],
  [1, s('DEL x')],
  [1, s('CONFIG SET notify-keyspace-events KEg$')],
  [1, s('SELECT 2')],
  [1, s('SET z 1')],
  [1, s('DEL z')],
  [1, s('CONFIG SET notify-keyspace-events ')],
  [1, s('SET y 1')],
  [1, s('DEL y')],
];

describe.skipIf(skip !== null)('differential: keyspace notifications vs redis-server', () => {
  let d: Differential;
  beforeAll(async () => {
    d = await Differential.start();
  });
  afterAll(async () => {
    await d?.stop();
  });

  it('generic and string events, class filtering, K/E, databases', async () => {
    const m = await MultiDifferential.open(d, [2, 2, 3]);
    try {
      for (const [who, argv] of SCRIPT) await m.step(who, argv.length === 4 && argv[3] === '' ? argv.slice(0, 3).concat('') : argv);
    } finally {
      m.close();
    }
    expect(m.mismatches.join('\n')).toBe('');
  });

  it('expired events (x), from lazy or active expiry', async () => {
    const m = await MultiDifferential.open(d, [2, 2]);
    try {
      await m.step(0, s('PSUBSCRIBE __key*__:*'));
      await m.step(1, s('CONFIG SET notify-keyspace-events KEx'));
      await m.step(1, s('SET e v PX 50'));
      await new Promise((r) => setTimeout(r, 200));
      await m.step(1, s('GET e'));
      await m.step(1, ['CONFIG', 'SET', 'notify-keyspace-events', '']);
    } finally {
      m.close();
    }
    expect(m.mismatches.join('\n')).toBe('');
  });
});
