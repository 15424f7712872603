/**
 * Unknown option names fail `new RingClient` with ERR_INVALID_OPTION naming the option by its path
 * and the closest valid name (a typo, a case slip, or another client's spelling); open-ended
 * objects (TLS options) are not checked; values are still checked by the validator (ERR_CONFIG).
 */
import { describe, expect, it } from 'vitest';
import { RingClient } from '../../../src/client/ring-client.js';
import { type RingClientOptions } from '../../../src/client/options.js';
import { resolveOptions } from '../../../src/client/resolve-options.js';
import { InvalidOptionError } from '../../../src/errors.js';
import { HarnessError } from '../../helpers/harness-error.js';

const shards = [{ name: 'a', master: '127.0.0.1:1' }];

function failure(options: Record<string, unknown>): InvalidOptionError {
  try {
    resolveOptions(options as RingClientOptions);
  } catch (err) {
    if (err instanceof InvalidOptionError) return err;
    throw err;
  }
  throw new HarnessError('expected InvalidOptionError');
}

describe('option names', () => {
  it.each([
    [{ shards, conectTimeoutMs: 100 }, 'conectTimeoutMs', 'connectTimeoutMs'],
    [{ shards, connectTimeout: 100 }, 'connectTimeout', 'connectTimeoutMs'], // ioredis' name
    [{ shards, connectionName: 'app' }, 'connectionName', 'clientName'],
    [{ shards, localcache: {} }, 'localcache', 'localCache'],
    [{ shards, keyprefix: 'app:' }, 'keyprefix', 'keyPrefix'],
    [{ shards, pool: { maxExclusiv: 2 } }, 'pool.maxExclusiv', 'pool.maxExclusive'],
    [{ shards: [{ name: 'a', master: '127.0.0.1:1', replica: [] }] }, 'shards[0].replica', 'shards[0].replicas'],
    [{ shards, onShardDown: { eject: { afterFailedCheck: 2 } } }, 'onShardDown.eject.afterFailedCheck', 'onShardDown.eject.afterFailedChecks'],
    [{ shards, onShardDown: { miss: { write: 'drop' } } }, 'onShardDown.miss.write', 'onShardDown.miss.writes'],
    [{ shards, readYourWrites: { wait: { replica: 1 } } }, 'readYourWrites.wait.replica', 'readYourWrites.wait.replicas'],
    [{ shards, reconnect: { maxDelay: 10 } }, 'reconnect.maxDelay', 'reconnect.maxDelayMs'],
    [{ shards, pool: { max: 4 } }, 'pool.max', 'pool.size'], // generic-pool's name
  ])('%j: names %s and suggests %s', (options, option, suggestion) => {
    const err = failure(options);
    expect(err).toMatchObject({ code: 'ERR_INVALID_OPTION', option, suggestion });
    expect(err.message).toBe(`unknown option '${option}': did you mean '${suggestion}'?`);
  });

  it('lists the valid names when nothing is close', () => {
    const err = failure({ shards, zzzzzz: 1 });
    expect(err).toMatchObject({ code: 'ERR_INVALID_OPTION', option: 'zzzzzz', suggestion: null });
    expect(err.message).toContain('valid names here: shards, sentinels');
  });

  it('fails the constructor; TLS options and valid names pass; values are still validated', () => {
    expect(() => new RingClient({ shards, maxRetries: 3 } as RingClientOptions)).toThrow(InvalidOptionError);
    expect(() => resolveOptions({ shards, tls: { rejectUnauthorized: false, ca: 'x', minVersion: 'TLSv1.2' }, pool: { size: 2 }, localCache: false })).not.toThrow();
    expect(() => resolveOptions({ shards, pool: { size: -1 } })).toThrow(expect.objectContaining({ code: 'ERR_CONFIG' }));
  });
});
