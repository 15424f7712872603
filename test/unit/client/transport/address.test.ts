/**
 * Node addresses as options give them (host:port, redis://, rediss://) and the settings each node
 * gets: URL credentials, db and TLS over the client-wide ones; a malformed address fails at
 * construction with ERR_CONFIG naming it, the password masked.
 */
import { describe, expect, it } from 'vitest';
import { connectionOptionsFor, resolveOptions, sentinelConnectionOptionsFor } from '../../../../src/client/resolve-options.js';
import { RingClient } from '../../../../src/client/ring-client.js';
import { maskAddress, parseNodeAddress } from '../../../../src/client/transport/address.js';

describe('parseNodeAddress', () => {
  it('reads host:port, bracketed and bare IPv6', () => {
    expect(parseNodeAddress('127.0.0.1:7001', 'x')).toEqual({ host: '127.0.0.1', port: 7001, id: '127.0.0.1:7001', tls: false });
    expect(parseNodeAddress('cache.internal:6380', 'x')).toMatchObject({ host: 'cache.internal', port: 6380, id: 'cache.internal:6380' });
    expect(parseNodeAddress('[::1]:6379', 'x')).toMatchObject({ host: '::1', port: 6379, id: '::1:6379' });
    expect(parseNodeAddress('::1:6379', 'x')).toMatchObject({ host: '::1', port: 6379, id: '::1:6379' });
  });

  it('reads redis:// and rediss:// URLs with credentials (percent-decoded), default port and db', () => {
    expect(parseNodeAddress('redis://h:7000', 'x')).toEqual({ host: 'h', port: 7000, id: 'h:7000', tls: false });
    expect(parseNodeAddress('redis://h', 'x')).toMatchObject({ port: 6379, id: 'h:6379' });
    expect(parseNodeAddress('rediss://alice:p%40ss%3Aword@h:7000/3', 'x')).toEqual({
      host: 'h', port: 7000, id: 'h:7000/3', tls: true, username: 'alice', password: 'p@ss:word', db: 3,
    });
    expect(parseNodeAddress('redis://:secret@h:7000/', 'x')).toEqual({ host: 'h', port: 7000, id: 'h:7000', tls: false, password: 'secret' });
    expect(parseNodeAddress('REDIS://[::1]:7000/0', 'x')).toMatchObject({ host: '::1', port: 7000, db: 0, id: '::1:7000/0' });
  });

  it('refuses malformed addresses with ERR_CONFIG naming where and what, password masked', () => {
    const bad = (spec: string): unknown => {
      try {
        parseNodeAddress(spec, "shard 'a' master");
      } catch (e) {
        return e;
      }
      return null;
    };
    for (const spec of ['localhost', 'h:0', 'h:70000', 'h:port', 'http://h:1', 'redis://h:1/x', 'redis://h:1?db=2', 'redis://:1', 'h :1', '']) {
      expect(bad(spec), spec).toMatchObject({ code: 'ERR_CONFIG', message: expect.stringContaining("shard 'a' master") });
    }
    const e = bad('redis://u:hunter2@h:notaport') as Error;
    expect(e.message).toContain("'redis://u:***@h:notaport'");
    expect(e.message).not.toContain('hunter2');
    expect(maskAddress('rediss://u:pw@h:1/2')).toBe('rediss://u:***@h:1/2');
  });
});

describe('per-node settings', () => {
  it('a URL’s credentials and db apply to that node only; others get the client-wide ones', () => {
    const o = resolveOptions({
      shards: [
        { name: 'a', master: 'redis://alice:pw@10.0.0.1:7001/2', replicas: ['10.0.0.2:7001'] },
        { name: 'b', master: '10.0.0.3:7001' },
      ],
      username: 'app',
      password: 'apppw',
      db: 1,
    });
    expect(o.shards.map((s) => [s.master, s.replicas])).toEqual([['10.0.0.1:7001/2', ['10.0.0.2:7001']], ['10.0.0.3:7001', []]]);
    expect(connectionOptionsFor(o, '10.0.0.1:7001/2')).toMatchObject({ host: '10.0.0.1', port: 7001, address: '10.0.0.1:7001/2', username: 'alice', password: 'pw', db: 2, tls: null });
    expect(connectionOptionsFor(o, '10.0.0.2:7001')).toMatchObject({ username: 'app', password: 'apppw', db: 1 });
    // An address only a Sentinel reports gets the defaults.
    expect(connectionOptionsFor(o, '10.9.9.9:7001')).toMatchObject({ host: '10.9.9.9', username: 'app', password: 'apppw', db: 1 });
  });

  it('TLS: client-wide, per shard, and rediss:// (Node defaults when no options)', () => {
    const ca = 'CA PEM';
    const o = resolveOptions({
      shards: [
        { name: 'a', master: 'h1:1' },
        { name: 'b', master: 'h2:1', tls: false },
        { name: 'c', master: 'rediss://h3:1' },
      ],
      tls: { ca },
    });
    expect(connectionOptionsFor(o, 'h1:1').tls).toEqual({ ca });
    expect(connectionOptionsFor(o, 'h2:1').tls).toBeNull();
    expect(connectionOptionsFor(o, 'h3:1').tls).toEqual({ ca });
    expect(connectionOptionsFor(resolveOptions({ shards: [{ name: 'a', master: 'rediss://h:1' }] }), 'h:1').tls).toEqual({});
    expect(() => resolveOptions({ shards: [{ name: 'a', master: 'h:1' }], tls: 'yes' as unknown as boolean })).toThrow(/tls must be true, false or node:tls/);
  });

  it('Sentinels: their own credentials and TLS, never the data nodes’', () => {
    const o = resolveOptions({
      sentinels: ['s1:26379', 'rediss://sam:spw@s2:26380'],
      masters: ['m'],
      password: 'data',
      sentinelPassword: 'sent',
      sentinelTls: { servername: 'sentinels.local' },
    });
    expect(o.sentinels).toEqual(['s1:26379', 's2:26380']);
    expect(sentinelConnectionOptionsFor(o, 's1:26379')).toMatchObject({ password: 'sent', username: undefined, db: 0, protocol: 2, tls: { servername: 'sentinels.local' }, retryStrategy: null });
    expect(sentinelConnectionOptionsFor(o, 's2:26380')).toMatchObject({ username: 'sam', password: 'spw' });
    expect(() => resolveOptions({ sentinels: ['redis://s:1/2'], masters: ['m'] })).toThrow(/a Sentinel address has no database/);
  });

  it('refuses a username without a password, and one node given twice with different credentials', () => {
    expect(() => resolveOptions({ shards: [{ name: 'a', master: 'redis://alice@h:1' }] })).toThrow(/names user 'alice' but no password/);
    expect(() =>
      resolveOptions({ shards: [{ name: 'a', master: 'redis://:x@h:1' }, { name: 'b', master: 'h:2', replicas: ['redis://:y@h:1'] }] }),
    ).toThrow(/given twice with different credentials/);
  });

  it('new RingClient fails at construction for a malformed address (it used to fail later with ENOTFOUND)', () => {
    expect(() => new RingClient({ shards: [{ name: 'a', master: 'redis://h:1/notadb' }] })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG', message: expect.stringMatching(/shard 'a' master: invalid address/) }),
    );
    expect(() => new RingClient({ sentinels: ['sentinel-host'], masters: ['m'] })).toThrow(expect.objectContaining({ code: 'ERR_CONFIG', message: expect.stringMatching(/sentinels\[0\]/) }));
  });
});
