/** Parsing Sentinel events and replies (payload shapes captured from redis-sentinel 7.0.15), and event de-duplication. */
import { describe, expect, it } from 'vitest';
import {
  EventDeduper,
  parseMasterAddr,
  parseReplicas,
  parseRole,
  parseSentinelEvent,
  parseSentinels,
} from '../../../../src/client/topology/sentinel-events.js';

describe('parseSentinelEvent', () => {
  it('parses +switch-master', () => {
    expect(parseSentinelEvent('+switch-master', 'mymaster 127.0.0.1 6382 127.0.0.1 6383')).toEqual({
      type: 'switch-master',
      master: 'mymaster',
      from: '127.0.0.1:6382',
      to: '127.0.0.1:6383',
    });
    expect(parseSentinelEvent('+switch-master', 'mymaster 127.0.0.1 x 127.0.0.1 6383')).toBeNull();
    expect(parseSentinelEvent('+switch-master', 'mymaster')).toBeNull();
  });

  it('parses instance details of masters, replicas and sentinels', () => {
    expect(parseSentinelEvent('+sdown', 'master mymaster 127.0.0.1 6382')).toEqual({
      type: 'instance', event: 'sdown', sign: '+', role: 'master', address: '127.0.0.1:6382', master: 'mymaster',
    });
    expect(parseSentinelEvent('+odown', 'master mymaster 127.0.0.1 6382 #quorum 2/2')).toMatchObject({ event: 'odown', master: 'mymaster' });
    expect(parseSentinelEvent('-sdown', 'slave 127.0.0.1:6382 127.0.0.1 6382 @ mymaster 127.0.0.1 6381')).toEqual({
      type: 'instance', event: 'sdown', sign: '-', role: 'slave', address: '127.0.0.1:6382', master: 'mymaster',
    });
    expect(parseSentinelEvent('+convert-to-slave', 'slave 127.0.0.1:6381 127.0.0.1 6381 @ mymaster 127.0.0.1 6382')).toMatchObject({ role: 'slave', master: 'mymaster' });
    expect(parseSentinelEvent('+sentinel', 'sentinel cef86709d128 127.0.0.1 26382 @ mymaster 127.0.0.1 6381')).toMatchObject({ role: 'sentinel', address: '127.0.0.1:26382' });
  });

  it('rejects malformed payloads', () => {
    expect(parseSentinelEvent('+sdown', 'slave 127.0.0.1:6382 127.0.0.1 6382')).toBeNull(); // no @ part
    expect(parseSentinelEvent('+sdown', 'widget x 127.0.0.1 1')).toBeNull();
    expect(parseSentinelEvent('+new-epoch', '2')).toBeNull();
  });
});

describe('Sentinel replies', () => {
  it('reads get-master-addr-by-name (port as bulk) and its null', () => {
    expect(parseMasterAddr(['127.0.0.1', '6381'])).toBe('127.0.0.1:6381');
    expect(parseMasterAddr(null)).toBeNull();
  });

  it('keeps healthy replicas only as healthy (flags and master-link-status), from RESP2 arrays and RESP3 maps', () => {
    const flat = [
      ['name', '127.0.0.1:6382', 'ip', '127.0.0.1', 'port', '6382', 'flags', 'slave', 'master-link-status', 'ok'],
      ['name', '127.0.0.1:6383', 'ip', '127.0.0.1', 'port', '6383', 'flags', 'slave,s_down', 'master-link-status', 'ok'],
      ['name', '127.0.0.1:6384', 'ip', '127.0.0.1', 'port', '6384', 'flags', 'slave', 'master-link-status', 'err'],
      ['name', '127.0.0.1:6385', 'ip', '127.0.0.1', 'port', '6385', 'flags', 'slave,disconnected', 'master-link-status', 'ok'],
    ];
    expect(parseReplicas(flat)).toEqual([
      { address: '127.0.0.1:6382', healthy: true },
      { address: '127.0.0.1:6383', healthy: false },
      { address: '127.0.0.1:6384', healthy: false },
      { address: '127.0.0.1:6385', healthy: false },
    ]);
    expect(parseReplicas(flat, false).map((r) => r.healthy)).toEqual([true, false, true, false]);
    const map = new Map<string, string>([['ip', '10.0.0.6'], ['port', '6379'], ['flags', 'slave'], ['master-link-status', 'ok']]);
    expect(parseReplicas([map])).toEqual([{ address: '10.0.0.6:6379', healthy: true }]);
    expect(parseSentinels([['name', 'abc', 'ip', '127.0.0.1', 'port', '26380']])).toEqual(['127.0.0.1:26380']);
    expect(parseRole(['slave', '127.0.0.1', 6383, 'connected', 30662])).toBe('slave');
    expect(parseRole('x')).toBe('');
  });
});

describe('EventDeduper', () => {
  it('lets an event through once per window', () => {
    let t = 0;
    const d = new EventDeduper(2000, () => t);
    expect(d.fresh('+switch-master', 'm a 1 b 2')).toBe(true);
    expect(d.fresh('+switch-master', 'm a 1 b 2')).toBe(false);
    expect(d.fresh('+switch-master', 'm b 2 a 1')).toBe(true);
    t = 2500;
    expect(d.fresh('+switch-master', 'm a 1 b 2')).toBe(true);
  });
});
