/**
 * readYourWrites option validation (ConfigError with the option's name) and defaults.
 */
import { describe, expect, it } from 'vitest';
import { type RingClientOptions } from '../../../../src/client/options.js';
import { resolveOptions } from '../../../../src/client/resolve-options.js';

const base: RingClientOptions = { shards: [{ name: 'a', master: '127.0.0.1:7001', replicas: ['127.0.0.1:7101'] }], readFrom: 'replica' };

describe('readYourWrites options', () => {
  it('is off by default and with false', () => {
    expect(resolveOptions(base).readYourWrites).toBeNull();
    expect(resolveOptions({ ...base, readYourWrites: false }).readYourWrites).toBeNull();
  });

  it('true means a 1 s window in a 1024-slot table, no WAIT', () => {
    expect(resolveOptions({ ...base, readYourWrites: true }).readYourWrites).toEqual({ windowMs: 1000, wait: null, slots: 1024 });
  });

  it('wait: true waits for every replica with a timeout of at most 100 ms', () => {
    expect(resolveOptions({ ...base, readYourWrites: { wait: true } }).readYourWrites!.wait).toEqual({ replicas: null, timeoutMs: 100 });
    expect(resolveOptions({ ...base, readYourWrites: { windowMs: 50, wait: true } }).readYourWrites!.wait).toEqual({ replicas: null, timeoutMs: 50 });
    expect(resolveOptions({ ...base, readYourWrites: { windowMs: 5000, wait: { replicas: 2, timeoutMs: 300 } } }).readYourWrites).toEqual({
      windowMs: 5000,
      wait: { replicas: 2, timeoutMs: 300 },
      slots: 1024,
    });
  });

  it.each([
    [{ windowMs: 0 }, /readYourWrites.windowMs/],
    [{ windowMs: 1.5 }, /readYourWrites.windowMs/],
    [{ slots: 1000 }, /power of two/],
    [{ slots: 8 }, /power of two/],
    [{ wait: { timeoutMs: 2000 } }, /must not exceed windowMs/],
    [{ wait: { replicas: 0 } }, /readYourWrites.wait.replicas/],
    [{ wait: 'yes' }, /readYourWrites.wait must be/],
  ])('refuses %j', (rw, message) => {
    expect(() => resolveOptions({ ...base, readYourWrites: rw as RingClientOptions['readYourWrites'] })).toThrow(message);
    expect(() => resolveOptions({ ...base, readYourWrites: rw as RingClientOptions['readYourWrites'] })).toThrow(expect.objectContaining({ code: 'ERR_CONFIG' }));
  });
});
