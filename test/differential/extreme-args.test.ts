/**
 * The extreme-argument differential in CI: every implemented command (Redis's COMMAND DOCS give
 * the argument grammar) with values from the extremes pool in its argument positions, against
 * real redis-server. Seeded and bounded: a fixed number of calls per command, within a time budget.
 * Target: no hang, no internal error, no difference in reply class, and error texts equal to
 * Redis's except the differences documented in docs/server.md (extreme-args-known.ts).
 *
 * EXTREME_ARGS_SEED picks another sample; `npm run fuzz:args` runs the full sweep.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisSkipReason } from '../helpers/processes.js';
import { formatCounts, runSample, totals } from './extreme-args-plan.js';
import { ExtremeArgsRunner } from './extreme-args-runner.js';

const skip = redisSkipReason();
if (skip !== null) console.warn(skip);

const SEED = Number(process.env.EXTREME_ARGS_SEED ?? 17);
const PER_COMMAND = 30;
const BUDGET_MS = 55_000;

describe.skipIf(skip !== null)('extreme-argument differential', () => {
  let runner: ExtremeArgsRunner;
  beforeAll(async () => {
    runner = new ExtremeArgsRunner({ callTimeoutMs: 10_000 });
    await runner.start();
  });
  afterAll(async () => {
    await runner?.stop();
  });

  it(`every implemented command agrees with Redis on extreme arguments (seed ${SEED})`, async () => {
    const diffs: string[] = [];
    const onDiff = (l: string): void => {
      if (diffs.length < 40) diffs.push(l);
    };
    await runSample(runner, PER_COMMAND, { seed: SEED, budgetMs: BUDGET_MS, onDiff });
    const t = totals(runner.counts);
    const report = `${formatCounts(runner.counts)}\n${diffs.join('\n')}`;
    console.info(report.split('\n').find((l) => l.startsWith('TOTAL')));
    expect(t.commands, 'commands under test').toBeGreaterThan(250);
    expect(runner.unlistedOwnCommands(), 'commands Redis does not have, not listed in OURS_ONLY').toEqual([]);
    expect(t.hangs, report).toBe(0);
    expect(t.internal, report).toBe(0);
    expect(t.classDiffs, report).toBe(0);
    expect(t.textDiffs, report).toBe(0);
  }, 240_000);
});
