import { describe, expect, it } from 'vitest';
import { parseMonitorLine } from '../../../../src/client/observe/monitor.js';

describe('parseMonitorLine', () => {
  it('reads time, db, source and the quoted arguments, unescaping as Redis escapes (sdscatrepr)', () => {
    const raw = '1700000000.123456 [3 127.0.0.1:51234] "SET" "k \\"q\\"" "a\\\\b\\r\\n\\t" "\\xff\\x00" "caf\\xc3\\xa9" ""';
    const l = parseMonitorLine('s0', raw)!;
    expect(l).toMatchObject({ shard: 's0', time: 1700000000.123456, db: 3, source: '127.0.0.1:51234', raw });
    expect(l.args).toEqual(['SET', 'k "q"', 'a\\b\r\n\t', Buffer.from([0xff, 0]).toString('utf8'), 'café', '']);
  });

  it('knows Lua and unix-socket sources, and rejects lines that are not MONITOR lines', () => {
    expect(parseMonitorLine('s', '1.5 [0 lua] "get" "k"')).toMatchObject({ source: 'lua', args: ['get', 'k'] });
    expect(parseMonitorLine('s', '1.5 [0 unix:/tmp/r.sock] "ping"')).toMatchObject({ source: 'unix:/tmp/r.sock', args: ['ping'] });
    expect(parseMonitorLine('s', 'OK')).toBeNull();
  });
});
