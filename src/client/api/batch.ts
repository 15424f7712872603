/**
 * What pipelines and transactions share: the commands queued so far, and the builder methods that
 * queue them (any command with `call`, the common ones by name). Nothing is sent until `exec()`.
 */

import type { Arg } from '../transport/command.js';

export abstract class Batch<Self> {
  protected readonly queued: Arg[][] = [];

  /** Adds any command. */
  call(name: string, ...args: Arg[]): Self {
    this.queued.push([name, ...args]);
    return this as unknown as Self;
  }

  get(key: Arg): Self {
    return this.call('GET', key);
  }

  set(key: Arg, value: Arg): Self {
    return this.call('SET', key, value);
  }

  del(...keys: Arg[]): Self {
    return this.call('DEL', ...keys);
  }

  incr(key: Arg): Self {
    return this.call('INCR', key);
  }

  incrby(key: Arg, by: number): Self {
    return this.call('INCRBY', key, by);
  }

  expire(key: Arg, seconds: number): Self {
    return this.call('EXPIRE', key, seconds);
  }

  mget(...keys: Arg[]): Self {
    return this.call('MGET', ...keys);
  }

  get length(): number {
    return this.queued.length;
  }
}
