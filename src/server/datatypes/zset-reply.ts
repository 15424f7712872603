/**
 * How sorted-set members travel in replies. One place for the RESP2/RESP3 difference:
 * with scores, RESP2 answers a flat array (member, score, member, score…) and RESP3 an array of
 * [member, score] pairs with double scores; `pairsAlways` (ZMPOP, BZMPOP, ZPOPMIN with a count in
 * RESP3) nests pairs in both protocols.
 */

import type { ClientContext } from '../dispatch/context.js';

export interface Scored {
  readonly member: string;
  readonly score: number;
}

export function writeScored(c: ClientContext, items: readonly Scored[], withScores: boolean, pairsAlways = false): void {
  const r = c.reply;
  if (withScores && (pairsAlways || r.proto === 3)) {
    r.array(items.length);
    for (const it of items) {
      r.array(2);
      r.bulk(it.member);
      r.double(it.score);
    }
    return;
  }
  r.array(items.length * (withScores ? 2 : 1));
  for (const it of items) {
    r.bulk(it.member);
    if (withScores) r.double(it.score);
  }
}
