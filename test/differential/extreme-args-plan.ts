/**
 * What the extreme-argument differential runs, and its report:
 * - `runSample`: per command, `perCommand` seeded random calls (a baseline, then one mutation) —
 *   the bounded CI run;
 * - `runSweep`: per command and baseline, every mutable position × every pool value — `npm run
 *   fuzz:args`;
 * - `formatCounts`: one line per command with differences, and the totals.
 */

import { Rng } from '../helpers/differential.js';
import { baseline, mutate, sweep } from './extreme-args-gen.js';
import { PINS, SLOW, type CommandCounts, type ExtremeArgsRunner } from './extreme-args-runner.js';

export interface PlanOptions {
  seed: number;
  /** Only these full command names (all when empty). */
  filter?: readonly string[];
  /** Stop starting calls after this many ms (the run stays bounded on a loaded machine). */
  budgetMs?: number;
  onDiff?: (line: string) => void;
}

/** Seeded random calls, `perCommand` for each command under test. Returns the calls made. */
export async function runSample(runner: ExtremeArgsRunner, perCommand: number, opts: PlanOptions): Promise<number> {
  const deadline = Date.now() + (opts.budgetMs ?? Infinity);
  const docs = runner.commandsUnderTest(opts.filter);
  let calls = 0;
  // Round robin over commands, so a time budget still covers every command.
  for (let round = 0; round < perCommand && Date.now() < deadline; round++) {
    for (const doc of docs) {
      // A command that takes seconds on both servers (it takes no arguments) runs in the first round only.
      if (round > 0 && SLOW.has(doc.fullName)) continue;
      const rng = new Rng(opts.seed * 7919 + round * 104729 + hash(doc.fullName));
      const slots = baseline(doc, { rng, now: Date.now(), pins: PINS });
      const { argv, what } = round === 0 ? { argv: slots.map((s) => s.text), what: 'baseline' } : mutate(slots, rng);
      const line = await runner.call(doc, argv, what);
      if (line !== null) opts.onDiff?.(line);
      calls++;
    }
  }
  return calls;
}

/** Every position of `baselines` seeded baselines per command × every pool value. */
export async function runSweep(runner: ExtremeArgsRunner, baselines: number, opts: PlanOptions): Promise<number> {
  const deadline = Date.now() + (opts.budgetMs ?? Infinity);
  let calls = 0;
  for (const doc of runner.commandsUnderTest(opts.filter)) {
    for (let b = 0; b < baselines && Date.now() < deadline; b++) {
      const rng = new Rng(opts.seed * 7919 + b * 104729 + hash(doc.fullName));
      const slots = baseline(doc, { rng, now: Date.now(), pins: PINS, full: b === 0 });
      for (const { argv, what } of sweep(slots)) {
        const line = await runner.call(doc, argv, what);
        if (line !== null) opts.onDiff?.(line);
        calls++;
      }
    }
  }
  return calls;
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export interface Totals {
  commands: number;
  calls: number;
  classDiffs: number;
  textDiffs: number;
  documented: number;
  hangs: number;
  internal: number;
}

/** Totals over the commands `include` accepts (all by default). */
export function totals(counts: ReadonlyMap<string, CommandCounts>, include: (command: string) => boolean = () => true): Totals {
  const t: Totals = { commands: 0, calls: 0, classDiffs: 0, textDiffs: 0, documented: 0, hangs: 0, internal: 0 };
  for (const [name, c] of counts) {
    if (!include(name)) continue;
    t.commands++;
    t.calls += c.calls;
    t.classDiffs += c.classDiffs;
    t.textDiffs += c.textDiffs;
    t.documented += c.documented;
    t.hangs += c.hangs;
    t.internal += c.internal;
  }
  return t;
}

/** The per-command table (commands with any difference) and the totals line. */
export function formatCounts(counts: ReadonlyMap<string, CommandCounts>, withExamples = false): string {
  const lines = [`${'command'.padEnd(24)} ${'calls'.padStart(6)} ${'class'.padStart(6)} ${'text'.padStart(6)} ${'doc'.padStart(5)} ${'hang'.padStart(5)} ${'internal'.padStart(8)}`];
  const names = [...counts.keys()].sort();
  for (const name of names) {
    const c = counts.get(name)!;
    if (c.classDiffs + c.textDiffs + c.hangs + c.internal + c.documented === 0) continue;
    lines.push(
      `${name.padEnd(24)} ${String(c.calls).padStart(6)} ${String(c.classDiffs).padStart(6)} ${String(c.textDiffs).padStart(6)} ${String(c.documented).padStart(5)} ${String(c.hangs).padStart(5)} ${String(c.internal).padStart(8)}`,
    );
    if (withExamples) for (const e of c.examples) lines.push(`    ${e.replace(/\n/g, '\n    ')}`);
  }
  const t = totals(counts);
  lines.push(
    `TOTAL: ${t.commands} commands, ${t.calls} calls, ${t.classDiffs} class differences, ${t.textDiffs} error-text differences ` +
      `(+${t.documented} documented), ${t.hangs} hangs, ${t.internal} internal errors`,
  );
  return lines.join('\n');
}
