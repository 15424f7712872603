/**
 * The ring as the page draws it, computed with the client's own HashRing (src/ring) from the same
 * shard names, weights and vnodes the client is given, so the picture is the ring the client
 * routes by: every shard's share of the 2^32 hash space, a colour per shard (golden-angle hues in
 * name order, stable for a given set of names), and the merged vnode arcs as fractions of the
 * circle [from, to, shard index].
 */

import { HashRing, type RingShard } from '../../ring/index.js';

export interface RingView {
  vnodes: number;
  shards: { name: string; share: number; color: string; weight: number }[];
  arcs: [number, number, number][];
}

const FULL = 2 ** 32;

export function shardColor(i: number): string {
  return `hsl(${Math.round((i * 137.508) % 360)} 65% 48%)`;
}

export function ringView(shards: readonly RingShard[], vnodes: number): RingView {
  if (shards.length === 0) return { vnodes, shards: [], arcs: [] };
  const ring = new HashRing(shards, { vnodes });
  const names = ring.shards();
  const index = new Map(names.map((n, i) => [n, i]));
  const share = ring.ownership();
  const weight = new Map(shards.map((s) => [s.name, s.weight ?? 1]));
  return {
    vnodes,
    shards: names.map((name, i) => ({ name, share: share.get(name) ?? 0, color: shardColor(i), weight: weight.get(name) ?? 1 })),
    arcs: ring.arcs().map((a) => [a.from / FULL, a.to / FULL, index.get(a.shard)!]),
  };
}
