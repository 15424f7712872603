import { describe, expect, it } from 'vitest';
import { lookupCommand, lookupSubcommand } from '../../../../src/commands/registry.js';
import type { CommandSpec } from '../../../../src/commands/spec.js';
import { aggregate } from '../../../../src/client/routing/fan-out.js';

function spec(name: string, sub?: string): CommandSpec {
  const top = lookupCommand(name)!;
  return sub === undefined ? top : lookupSubcommand(top, sub)!;
}

describe('aggregate', () => {
  it('agg_logical_and of arrays is element by element (SCRIPT EXISTS over shards)', () => {
    expect(aggregate(spec('script', 'exists'), [[1, 0, 1], [1, 1, 0], [1, 0, 1]])).toEqual([1, 0, 0]);
    expect(aggregate(spec('script', 'exists'), [[1], [1]])).toEqual([1]);
  });

  it('agg_sum and all_succeeded as before', () => {
    expect(aggregate(spec('dbsize'), [1, 2, 3])).toBe(6);
    expect(aggregate(spec('function', 'load'), ['lib', 'lib'])).toBe('lib');
  });
});
