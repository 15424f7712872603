/**
 * The stable-slot table behind SCAN: random add/remove sequences against a Set model. Invariants:
 * size matches, every live item is found at its own slot, and a cursor sweep started at any point
 * meets every item that stayed in the table for the whole sweep.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SlotTable } from '../../src/server/keyspace/slot-table.js';

interface Item {
  id: number;
  slot: number;
}

describe('SlotTable properties', () => {
  it('keeps slots stable and sweeps see every item present throughout', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.nat(40)), { maxLength: 300 }),
        fc.array(fc.tuple(fc.boolean(), fc.nat(40)), { maxLength: 100 }),
        fc.nat(10),
        (before, during, step) => {
          const t = new SlotTable<'slot', Item>('slot');
          const live = new Map<number, Item>();
          const apply = ([add, id]: [boolean, number]): void => {
            if (add && !live.has(id)) {
              const it: Item = { id, slot: -1 };
              t.add(it);
              live.set(id, it);
            } else if (!add && live.has(id)) {
              t.remove(live.get(id)!);
              live.delete(id);
            }
          };
          before.forEach(apply);
          expect(t.size).toBe(live.size);
          for (const it of live.values()) expect(t.at(it.slot)).toBe(it);
          // Sweep slot by slot, applying the concurrent changes between steps.
          const present = new Set(live.values());
          const seen = new Set<Item>();
          let k = 0;
          for (let cursor = 0; cursor < t.capacity; cursor++) {
            const it = t.at(cursor);
            if (it !== undefined) seen.add(it);
            if (k < during.length && cursor % (step + 1) === 0) {
              const change = during[k++]!;
              apply(change);
              if (!change[0]) for (const p of present) if (p.id === change[1]) present.delete(p);
            }
          }
          for (const p of present) if (live.get(p.id) === p) expect(seen.has(p)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
