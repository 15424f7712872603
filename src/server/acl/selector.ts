/**
 * One ACL selector (Redis aclSelector): which commands (a bitmap by command id, plus allowed first
 * arguments of otherwise denied commands), which keys (patterns with read/write permissions) and
 * which channels (patterns) it allows, and the rules that change it (Redis ACLSetSelector).
 *
 * Invariants: ALLKEYS means no key patterns are kept, ALLCHANNELS no channel patterns; clearing
 * any command bit clears ALLCOMMANDS; a failed rule leaves the selector unchanged (every check
 * happens before the first change).
 */

import type { CommandSpec } from '../../commands/spec.js';
import { splitInlineArgs } from '../../protocol/inline-args.js';
import { BY_ID, CATEGORY_MASK, FUTURE_BIT, TOP, WORDS, categoryIndex, lookupAclCommand } from './catalog.js';

export const SelectorFlag = { ROOT: 1, ALLKEYS: 2, ALLCOMMANDS: 4, ALLCHANNELS: 8 } as const;
/** Key permissions of a pattern (Redis ACL_READ_PERMISSION / ACL_WRITE_PERMISSION). */
export const KeyPerm = { READ: 1, WRITE: 2, ALL: 3 } as const;

/** Why a rule was refused (Redis's errno values in ACLSetUser / ACLSetSelector). */
export type RuleError = 'ENOENT' | 'EINVAL' | 'EEXIST' | 'EISDIR' | 'ENODEV' | 'EBADMSG' | 'EALREADY' | 'ECHILD';

export interface KeyPattern {
  readonly pattern: string;
  perm: number;
}

/** Redis ACLStringHasSpaces: white space (isspace) or NUL. */
export function hasSpaces(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0 || c === 32 || (c >= 9 && c <= 13)) return true;
  }
  return false;
}

export class Selector {
  flags: number;
  readonly bits = new Uint32Array(WORDS);
  /** Allowed first arguments (lower-cased on compare) of commands whose bit is clear. */
  firstArgs: Map<number, string[]> | null = null;
  patterns: KeyPattern[] = [];
  channels: string[] = [];

  /** `pubsubDefault` is SelectorFlag.ALLCHANNELS under `acl-pubsub-default allchannels`, else 0. */
  constructor(flags: number, pubsubDefault: number) {
    this.flags = flags | pubsubDefault;
  }

  clone(): Selector {
    const s = new Selector(this.flags, 0);
    s.bits.set(this.bits);
    if (this.firstArgs !== null) s.firstArgs = new Map([...this.firstArgs].map(([id, a]) => [id, a.slice()]));
    s.patterns = this.patterns.map((p) => ({ pattern: p.pattern, perm: p.perm }));
    s.channels = this.channels.slice();
    return s;
  }

  hasBit(id: number): boolean {
    if (id > FUTURE_BIT) return false;
    return (this.bits[id >>> 5]! & (1 << (id & 31))) !== 0;
  }

  private setBit(id: number, on: boolean): void {
    if (id > FUTURE_BIT) return;
    if (on) this.bits[id >>> 5]! |= 1 << (id & 31);
    else {
      this.bits[id >>> 5]! &= ~(1 << (id & 31));
      this.flags &= ~SelectorFlag.ALLCOMMANDS;
    }
  }

  /** Allows or denies a command; a container's subcommands follow it (ACLChangeSelectorPerm). */
  changePerm(spec: CommandSpec, allow: boolean): void {
    this.setBit(spec.id, allow);
    this.firstArgs?.delete(spec.id);
    if (spec.subcommands !== null) for (const sub of spec.subcommands.values()) this.setBit(sub.id, allow);
  }

  /** `+@cat` / `-@cat` over every command, container and subcommand alike. */
  setCategory(cat: number, allow: boolean): void {
    const bit = 1 << cat;
    for (const spec of TOP) {
      if (CATEGORY_MASK[spec.id]! & bit) this.changePerm(spec, allow);
      if (spec.subcommands === null) continue;
      for (const sub of spec.subcommands.values()) if (CATEGORY_MASK[sub.id]! & bit) this.changePerm(sub, allow);
    }
  }

  /** How many commands of a category this selector allows and denies. */
  countCategory(cat: number): { on: number; off: number } {
    const bit = 1 << cat;
    let on = 0;
    let off = 0;
    for (const spec of BY_ID) {
      if (spec === undefined || !(CATEGORY_MASK[spec.id]! & bit)) continue;
      if (this.hasBit(spec.id)) on++;
      else off++;
    }
    return { on, off };
  }

  allCommands(allow: boolean): void {
    this.bits.fill(allow ? 0xffffffff : 0);
    if (allow) this.flags |= SelectorFlag.ALLCOMMANDS;
    else this.flags &= ~SelectorFlag.ALLCOMMANDS;
    this.firstArgs = null;
  }

  private addFirstArg(id: number, arg: string): void {
    const map = (this.firstArgs ??= new Map<number, string[]>());
    const list = map.get(id);
    if (list === undefined) map.set(id, [arg]);
    else if (!list.some((a) => a.toLowerCase() === arg.toLowerCase())) list.push(arg);
  }

  /** Applies one selector rule (Redis ACLSetSelector); returns the refusal, or null. */
  apply(op: string): RuleError | null {
    const lower = op.toLowerCase();
    switch (lower) {
      case 'allkeys':
      case '~*':
        this.flags |= SelectorFlag.ALLKEYS;
        this.patterns = [];
        return null;
      case 'resetkeys':
        this.flags &= ~SelectorFlag.ALLKEYS;
        this.patterns = [];
        return null;
      case 'allchannels':
      case '&*':
        this.flags |= SelectorFlag.ALLCHANNELS;
        this.channels = [];
        return null;
      case 'resetchannels':
        this.flags &= ~SelectorFlag.ALLCHANNELS;
        this.channels = [];
        return null;
      case 'allcommands':
      case '+@all':
        this.allCommands(true);
        return null;
      case 'nocommands':
      case '-@all':
        this.allCommands(false);
        return null;
    }
    const first = op[0];
    if (first === '~' || first === '%') return this.addKeyPattern(op);
    if (first === '&') return this.addChannel(op.slice(1));
    if ((first === '+' || first === '-') && op[1] === '@') {
      const cat = categoryIndex(op.slice(2));
      if (cat < 0) return 'ENOENT';
      this.setCategory(cat, first === '+');
      return null;
    }
    if (first === '+') return this.allowCommand(op.slice(1));
    if (first === '-') {
      const spec = lookupAclCommand(op.slice(1));
      if (spec === undefined) return 'ENOENT';
      this.changePerm(spec, false);
      return null;
    }
    return 'EINVAL';
  }

  private addKeyPattern(op: string): RuleError | null {
    if (this.flags & SelectorFlag.ALLKEYS) return 'EEXIST';
    let perm = 0;
    let offset = 1;
    if (op[0] === '%') {
      for (; offset < op.length; offset++) {
        const ch = op[offset]!;
        if (ch.toUpperCase() === 'R' && !(perm & KeyPerm.READ)) perm |= KeyPerm.READ;
        else if (ch.toUpperCase() === 'W' && !(perm & KeyPerm.WRITE)) perm |= KeyPerm.WRITE;
        else if (ch === '~') {
          offset++;
          break;
        } else return 'EINVAL';
      }
    } else {
      perm = KeyPerm.ALL;
    }
    const pattern = op.slice(offset);
    if (hasSpaces(pattern)) return 'EINVAL';
    const existing = this.patterns.find((p) => p.pattern === pattern);
    if (existing === undefined) this.patterns.push({ pattern, perm });
    else existing.perm |= perm;
    this.flags &= ~SelectorFlag.ALLKEYS;
    return null;
  }

  private addChannel(pattern: string): RuleError | null {
    if (this.flags & SelectorFlag.ALLCHANNELS) return 'EISDIR';
    if (hasSpaces(pattern)) return 'EINVAL';
    if (!this.channels.includes(pattern)) this.channels.push(pattern);
    this.flags &= ~SelectorFlag.ALLCHANNELS;
    return null;
  }

  /** `+cmd`, `+container|sub`, or `+cmd|first-arg` (a deprecated misuse Redis still allows). */
  private allowCommand(name: string): RuleError | null {
    const bar = name.lastIndexOf('|');
    if (bar === -1) {
      const spec = lookupAclCommand(name);
      if (spec === undefined) return 'ENOENT';
      this.changePerm(spec, true);
      return null;
    }
    const spec = lookupAclCommand(name.slice(0, bar));
    if (spec === undefined) return 'ENOENT';
    if (spec.parent !== null) return 'ECHILD';
    const sub = name.slice(bar + 1);
    if (sub === '') return 'EINVAL';
    if (spec.subcommands !== null) {
      const s = lookupAclCommand(name);
      if (s === undefined) return 'ENOENT';
      this.changePerm(s, true);
      return null;
    }
    this.addFirstArg(spec.id, sub);
    return null;
  }
}

/**
 * A selector written as `(rule rule …)` (Redis aclCreateSelectorFromOpSet): the rules inside are
 * split as sdssplitargs does; the first refused rule refuses the whole selector.
 */
export function selectorFromOpSet(opset: string, pubsubDefault: number): Selector | RuleError {
  const s = new Selector(0, pubsubDefault);
  const rules = splitInlineArgs(opset.slice(1, -1)) ?? [];
  for (const r of rules) {
    const err = s.apply(r);
    if (err !== null) return err;
  }
  return s;
}
