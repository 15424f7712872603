/**
 * Argument generation for the extreme-argument differential, from Redis's own argument grammar
 * (COMMAND DOCS, see test/helpers/command-docs.ts):
 *
 * - a baseline call: every required argument, optional ones at random, `multiple` ones 1–3 times,
 *   one branch of each `oneof`, `numkeys` equal to the keys that follow, ordinary values by type;
 * - mutations of it: an extreme in one or two argument positions (values, and sometimes tokens or
 *   keys), an option repeated or moved, an argument dropped or added.
 *
 * Every call is a list of slots, so a report can say which position held the extreme.
 */

import type { ArgDoc, CommandDoc } from '../helpers/command-docs.js';
import type { Rng } from '../helpers/differential.js';
import { EXTREMES, ordinaryValue, pickExtreme, pickKey } from './extreme-args-pool.js';

export type SlotKind = 'word' | 'token' | 'key' | 'value' | 'pinned';

export interface Slot {
  readonly text: string;
  readonly kind: SlotKind;
  /** Index of the top-level argument this slot came from (-1 for the command words). */
  readonly unit: number;
}

/** Values some arguments must keep (a host MIGRATE may connect to, CONFIG SET's parameter names…). */
export type Pins = Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;

export interface GenContext {
  readonly rng: Rng;
  readonly now: number;
  readonly pins: Pins;
  /** Include every optional argument (the sweep's first baseline reaches every position). */
  readonly full?: boolean;
}

function expandValue(doc: CommandDoc, arg: ArgDoc, unit: number, g: GenContext): Slot {
  const pinned = g.pins[doc.fullName]?.[arg.name];
  if (pinned !== undefined) return { text: g.rng.pick(pinned), kind: 'pinned', unit };
  if (arg.type === 'key') return { text: pickKey(doc.group, arg, g.rng), kind: 'key', unit };
  return { text: ordinaryValue(arg, g.now, g.rng), kind: 'value', unit };
}

/** One occurrence of an argument (its token, then its value or children). */
function expandOnce(doc: CommandDoc, arg: ArgDoc, unit: number, g: GenContext, withToken: boolean): Slot[] {
  const out: Slot[] = [];
  if (withToken && arg.token !== null) out.push({ text: arg.token, kind: 'token', unit });
  switch (arg.type) {
    case 'pure-token':
      if (arg.token === null) out.push({ text: arg.name.toUpperCase(), kind: 'token', unit });
      break;
    case 'oneof':
      if (arg.args.length > 0) out.push(...expandArg(doc, g.rng.pick(arg.args), unit, g, true));
      break;
    case 'block':
      out.push(...expandList(doc, arg.args, unit, g));
      break;
    default:
      out.push(expandValue(doc, arg, unit, g));
  }
  return out;
}

/** An argument with its optional/multiple flags applied. */
function expandArg(doc: CommandDoc, arg: ArgDoc, unit: number, g: GenContext, forced = false): Slot[] {
  if (arg.optional && !forced && g.full !== true && g.rng.bool(0.5)) return [];
  const times = arg.multiple ? (g.full === true ? 1 : g.rng.int(1, 3)) : 1;
  const out: Slot[] = [];
  for (let i = 0; i < times; i++) out.push(...expandOnce(doc, arg, unit, g, i === 0 || arg.multipleToken));
  return out;
}

/** Sibling arguments; a `numkeys` argument counts the keys of the argument after it. */
function expandList(doc: CommandDoc, args: readonly ArgDoc[], unit: number, g: GenContext): Slot[] {
  const out: Slot[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = args[i + 1];
    if (arg.name === 'numkeys' && next !== undefined && g.pins[doc.fullName]?.[arg.name] === undefined) {
      const keys = expandArg(doc, next, unit, g, true);
      out.push({ text: String(keys.length), kind: 'value', unit }, ...keys);
      i++;
      continue;
    }
    out.push(...expandArg(doc, arg, unit, g));
  }
  return out;
}

/** A baseline call: the command words, then every top-level argument as its own unit. */
export function baseline(doc: CommandDoc, g: GenContext): Slot[] {
  const out: Slot[] = doc.words.map((w) => ({ text: w, kind: 'word' as const, unit: -1 }));
  for (let i = 0; i < doc.args.length; i++) {
    const arg = doc.args[i]!;
    const next = doc.args[i + 1];
    if (arg.name === 'numkeys' && next !== undefined) {
      const keys = expandArg(doc, next, i + 1, g, true);
      out.push({ text: String(keys.length), kind: 'value', unit: i }, ...keys);
      i++;
      continue;
    }
    out.push(...expandArg(doc, arg, i, g));
  }
  return out;
}

/** Positions an extreme may replace: values always, keys and tokens less often. */
export function mutablePositions(slots: readonly Slot[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < slots.length; i++) if (slots[i]!.kind !== 'word' && slots[i]!.kind !== 'pinned') out.push(i);
  return out;
}

function replaceAt(slots: readonly Slot[], i: number, text: string): Slot[] {
  const out = slots.slice();
  out[i] = { ...slots[i]!, text };
  return out;
}

function pickPosition(slots: readonly Slot[], rng: Rng): number {
  const all = mutablePositions(slots);
  const values = all.filter((i) => slots[i]!.kind === 'value');
  if (values.length > 0 && rng.bool(0.75)) return rng.pick(values);
  return all.length > 0 ? rng.pick(all) : -1;
}

/** Slots of one top-level unit that is not the command words and has a token (an option). */
function optionUnits(slots: readonly Slot[]): number[] {
  const units = new Set<number>();
  for (const s of slots) if (s.kind === 'token') units.add(s.unit);
  return [...units];
}

/** The call with one random mutation applied; returns the argv and what was done. */
export function mutate(slots: readonly Slot[], rng: Rng): { argv: string[]; what: string } {
  const roll = rng.next();
  let out: Slot[] = slots.slice();
  let what = 'baseline';
  if (roll < 0.62) {
    const i = pickPosition(slots, rng);
    if (i !== -1) {
      const v = pickExtreme(rng);
      out = replaceAt(slots, i, v);
      what = `extreme at ${i}`;
      if (rng.bool(0.15)) {
        const j = pickPosition(out, rng);
        if (j !== -1 && j !== i) {
          out = replaceAt(out, j, pickExtreme(rng));
          what += ` and ${j}`;
        }
      }
    }
  } else if (roll < 0.74) {
    const units = optionUnits(slots);
    if (units.length > 0) {
      const u = rng.pick(units);
      const unitSlots = slots.filter((s) => s.unit === u);
      const at = rng.int(slots.findIndex((s) => s.kind !== 'word'), slots.length);
      out = [...slots.slice(0, Math.max(at, 0)), ...unitSlots, ...slots.slice(Math.max(at, 0))];
      what = `option repeated at ${at}`;
    }
  } else if (roll < 0.82) {
    const units = optionUnits(slots);
    if (units.length > 0) {
      const u = rng.pick(units);
      const unitSlots = slots.filter((s) => s.unit === u);
      const rest = slots.filter((s) => s.unit !== u);
      const firstArg = rest.findIndex((s) => s.kind !== 'word');
      const at = rng.int(firstArg === -1 ? rest.length : firstArg, rest.length);
      out = [...rest.slice(0, at), ...unitSlots, ...rest.slice(at)];
      what = `option moved to ${at}`;
    }
  } else if (roll < 0.88) {
    if (slots.length > slots.filter((s) => s.kind === 'word').length) {
      out = slots.slice(0, -1);
      what = 'last argument dropped';
    }
  } else if (roll < 0.94) {
    out = [...slots, { text: pickExtreme(rng), kind: 'value', unit: -2 }];
    what = 'argument added';
  } else if (roll < 0.96) {
    const i = pickPosition(slots, rng);
    if (i !== -1) {
      out = replaceAt(slots, i, slots[i]!.text.toLowerCase());
      what = `lower-cased ${i}`;
    }
  } else if (roll < 0.99) {
    // C code compares keywords with strcasecmp: a NUL ends the argument there.
    const tokens = slots.map((s, i) => (s.kind === 'token' ? i : -1)).filter((i) => i !== -1);
    if (tokens.length > 0) {
      const i = rng.pick(tokens);
      out = replaceAt(slots, i, `${slots[i]!.text}\0${rng.pick(['', 'x', '1'])}`);
      what = `NUL after token ${i}`;
    }
  }
  return { argv: out.map((s) => s.text), what };
}

/**
 * Exhaustive sweep for one baseline: every mutable position × every pool value, in order.
 * Yields argv and the position.
 */
export function* sweep(slots: readonly Slot[]): Generator<{ argv: string[]; what: string }> {
  for (const i of mutablePositions(slots)) {
    for (const v of EXTREMES) yield { argv: replaceAt(slots, i, v).map((s) => s.text), what: `extreme at ${i}` };
  }
}
