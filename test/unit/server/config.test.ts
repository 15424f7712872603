import { describe, expect, it } from 'vitest';
import { ServerConfig, parseMemory } from '../../../src/server/config.js';
import { loadConfig } from '../../../src/server/config-file.js';

describe('ServerConfig', () => {
  it('parses memory units as redis.conf does', () => {
    expect(parseMemory('100')).toBe(100);
    expect(parseMemory('1k')).toBe(1000);
    expect(parseMemory('1kb')).toBe(1024);
    expect(parseMemory('5MB')).toBe(5 * 1024 * 1024);
    expect(parseMemory('1g')).toBe(1e9);
    expect(parseMemory('lots')).toBeNull();
  });

  it('validates, applies, formats and notifies', () => {
    const c = new ServerConfig();
    const seen: unknown[] = [];
    c.watch('maxmemory', (v) => seen.push(v));
    expect(c.set('maxmemory', '10mb')).toBeNull();
    expect(c.format('maxmemory')).toBe(String(10 * 1024 * 1024));
    expect(seen).toEqual([0, 10 * 1024 * 1024]);
    expect(c.set('maxmemory', 'lots')).toBe('argument must be a memory value');
    expect(c.set('appendonly', 'maybe')).toBe("argument must be 'yes' or 'no'");
    expect(c.set('databases', '4')).toBe("can't set immutable config");
    expect(c.set('no-such', '1')).toBe('unknown');
    expect(c.set('slave-read-only', 'no')).toBeNull();
    expect(c.format('replica-read-only')).toBe('no');
  });

  it('has the metrics and hot-key parameters: defaults, ranges, config-file lines, appliers', async () => {
    const c = new ServerConfig();
    expect([c.format('metrics-port'), c.format('metrics-bind'), c.format('hotkeys-sampling')]).toEqual(['0', '127.0.0.1', '16']);
    expect(c.set('metrics-port', '65536')).toBe('argument must be between 0 and 65535 inclusive');
    expect(c.set('metrics-port', 'x')).toBe("argument couldn't be parsed into an integer");
    expect(c.set('hotkeys-sampling', '-1')).toBe('argument must be between 0 and 1000000 inclusive');
    expect(c.info('metrics-port')?.inert).toBe(false);
    loadConfig(c, null, 'metrics-port 9121\nmetrics-bind 0.0.0.0\nhotkeys-sampling 4\n');
    expect([c.int('metrics-port'), c.str('metrics-bind'), c.int('hotkeys-sampling')]).toEqual([9121, '0.0.0.0', 4]);
    expect(c.match('metrics-*').map(([name]) => name).sort()).toEqual(['metrics-bind', 'metrics-port']);
    const calls: string[] = [];
    c.applyWith(['metrics-port', 'metrics-bind'], async () => {
      calls.push(c.str('metrics-bind'));
      return null;
    });
    expect(c.applierOf('metrics-bind')).toBe(c.applierOf('metrics-port'));
    expect(c.applierOf('hotkeys-sampling')).toBeUndefined();
    expect(await c.applierOf('metrics-port')!()).toBeNull();
    expect(calls).toEqual(['0.0.0.0']);
  });

  it('loads redis.conf text with quotes and comments, and names the bad line', () => {
    const c = new ServerConfig();
    const loaded = loadConfig(c, null, '# comment\nport 7001\nsave "60 100"\nmaxmemory-policy allkeys-lru\nrename-command flushdb ""\nactiverehashing no\n');
    expect(c.int('port')).toBe(7001);
    expect(c.str('save')).toBe('60 100');
    expect(loaded.renames).toEqual([['flushdb', '']]);
    expect(loaded.warnings).toEqual(["Directive 'activerehashing' is accepted for compatibility but has no effect in ringcache-server"]);
    expect(() => loadConfig(c, null, 'port 1\nbogus-directive yes\n')).toThrow(/command line:2: 'bogus-directive yes': Bad directive/);
    expect(() => loadConfig(c, null, 'port 1 2\n')).toThrow(/wrong number of arguments/);
    expect(() => loadConfig(c, null, 'loadmodule /x.so\n')).toThrow(/does not load Redis modules/);
  });

  it('matches CONFIG GET patterns, aliases included, hidden parameters only by exact name', () => {
    const c = new ServerConfig();
    const names = c.match('maxmemory*').map(([k]) => k);
    expect(names).toContain('maxmemory-policy');
    expect(c.match('slave-priority')).toEqual([['slave-priority', '100']]);
    expect(c.match('*of').map(([k]) => k).sort()).toEqual(['replicaof', 'slaveof']);
    expect(c.match('*').some(([k]) => k === 'key-load-delay')).toBe(false);
    expect(c.match('key-load-delay')).toEqual([['key-load-delay', '0']]);
  });
});
