/**
 * `npm run fuzz:args`: the long extreme-argument differential. For every implemented command,
 * FUZZ_BASELINES seeded baseline calls (default 2), each with every mutable argument position ×
 * every pool value (the sweep), then FUZZ_SAMPLE random mutations per command (default 100).
 * Prints the per-command counts of class and error-text differences and writes the full report
 * with examples to .tmp/fuzz-args-report.txt.
 *
 * FUZZ_SEED (default 1), FUZZ_COMMANDS=zrange,srandmember and/or FUZZ_GROUPS=stream,geo (Redis's
 * command groups) for a subset, FUZZ_BUDGET_S (default 1800),
 * FUZZ_TIMEOUT_MS (a call without a reply for this long counts as a hang; default 10000).
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { it } from 'vitest';
import { redisSkipReason } from '../helpers/processes.js';
import { formatCounts, runSample, runSweep } from './extreme-args-plan.js';
import { ExtremeArgsRunner } from './extreme-args-runner.js';

const skip = redisSkipReason();
if (skip !== null) console.warn(skip);

it.skipIf(skip !== null)('extreme-argument differential: full sweep', async () => {
  const seed = Number(process.env.FUZZ_SEED ?? 1);
  const named = (process.env.FUZZ_COMMANDS ?? '').split(',').filter(Boolean);
  const groups = (process.env.FUZZ_GROUPS ?? '').split(',').filter(Boolean);
  const budgetMs = Number(process.env.FUZZ_BUDGET_S ?? 1800) * 1000;
  const runner = new ExtremeArgsRunner({ callTimeoutMs: Number(process.env.FUZZ_TIMEOUT_MS ?? 10000), log: (l) => process.stdout.write(`${l}\n`) });
  await runner.start();
  const filter = [...named, ...runner.commandsUnderTest().filter((d) => groups.includes(d.group)).map((d) => d.fullName)];
  const started = Date.now();
  try {
    const swept = await runSweep(runner, Number(process.env.FUZZ_BASELINES ?? 2), { seed, filter, budgetMs });
    const sampled = await runSample(runner, Number(process.env.FUZZ_SAMPLE ?? 100), { seed, filter, budgetMs: budgetMs - (Date.now() - started) });
    const report = formatCounts(runner.counts, true);
    mkdirSync('.tmp', { recursive: true });
    writeFileSync('.tmp/fuzz-args-report.txt', `${report}\n`);
    process.stdout.write(`\n${formatCounts(runner.counts)}\n(${swept} sweep + ${sampled} sampled calls in ${((Date.now() - started) / 1000).toFixed(0)} s; examples in .tmp/fuzz-args-report.txt)\n`);
  } finally {
    await runner.stop();
  }
});
