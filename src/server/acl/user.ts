/**
 * One ACL user (Redis `user`): flags (on/off, nopass, payload sanitizing), password hashes and
 * selectors (the root selector first), the rules that change them (Redis ACLSetUser), and the
 * dispatcher's precomputed verdict per command.
 *
 * Invariants: passwords are stored only as lower-case hex SHA-256 (a clear-text password never
 * stays in memory past the rule that gave it); `selectors[0]` is the root selector; `open` and the
 * cached description are rebuilt by `refresh()` after every change (the ACL state calls it).
 */

import { createHash } from 'node:crypto';
import type { ClientUser } from '../dispatch/context.js';
import { BY_ID, ID_COUNT, checkedChannels, commandHasKeys, noAuth } from './catalog.js';
import { Selector, SelectorFlag, selectorFromOpSet, type RuleError } from './selector.js';

export const UserFlag = { ENABLED: 1, DISABLED: 2, NOPASS: 4, SANITIZE_PAYLOAD: 8, SANITIZE_PAYLOAD_SKIP: 16 } as const;

/** The user flags in the order Redis prints them (ACL GETUSER, ACL LIST). */
export const USER_FLAG_NAMES: readonly (readonly [string, number])[] = [
  ['on', UserFlag.ENABLED],
  ['off', UserFlag.DISABLED],
  ['nopass', UserFlag.NOPASS],
  ['skip-sanitize-payload', UserFlag.SANITIZE_PAYLOAD_SKIP],
  ['sanitize-payload', UserFlag.SANITIZE_PAYLOAD],
];

/** Per command id: the command has keys ACL checks / channels ACL checks. */
const HAS_KEYS = new Uint8Array(ID_COUNT);
const HAS_CHANNELS = new Uint8Array(ID_COUNT);
const NO_AUTH = new Uint8Array(ID_COUNT);
for (const spec of BY_ID) {
  if (spec === undefined) continue;
  HAS_KEYS[spec.id] = commandHasKeys(spec) ? 1 : 0;
  HAS_CHANNELS[spec.id] = checkedChannels(spec) !== null ? 1 : 0;
  NO_AUTH[spec.id] = noAuth(spec) ? 1 : 0;
}

/** SHA-256 of a password's bytes (the server's strings are latin1: one char per byte), in hex. */
export function hashPassword(clear: string): string {
  return createHash('sha256').update(Buffer.from(clear, 'latin1')).digest('hex');
}

/** Redis ACLCheckPasswordHash: 64 lower-case hex characters. */
function validHash(h: string): boolean {
  return /^[0-9a-f]{64}$/.test(h);
}

export class AclUser implements ClientUser {
  flags: number = UserFlag.DISABLED;
  passwords: string[] = [];
  selectors: Selector[];
  /** By command id: 1 when some selector allows it with no key or channel left to check. */
  readonly open = new Uint8Array(ID_COUNT);
  /** ACL LIST's description, cached until the next change (Redis acl_string). */
  described: string | null = null;

  constructor(
    readonly name: string,
    pubsubDefault: number,
  ) {
    this.selectors = [new Selector(SelectorFlag.ROOT, pubsubDefault)];
  }

  get root(): Selector {
    return this.selectors[0]!;
  }

  get nopass(): boolean {
    return (this.flags & UserFlag.NOPASS) !== 0;
  }

  get enabled(): boolean {
    return (this.flags & UserFlag.DISABLED) === 0;
  }

  /** A copy with every rule, under another name (Redis ACLCopyUser into a fresh user). */
  clone(name: string = this.name): AclUser {
    const u = new AclUser(name, 0);
    u.copyFrom(this);
    return u;
  }

  /** Takes over `src`'s rules, keeping this user's name (and object: clients keep pointing here). */
  copyFrom(src: AclUser): void {
    this.flags = src.flags;
    this.passwords = src.passwords.slice();
    this.selectors = src.selectors.map((s) => s.clone());
    this.refresh();
  }

  /** True when `clear` is one of the passwords (or the user takes any password). */
  checkPassword(clear: string): boolean {
    if (this.nopass) return true;
    const hashed = hashPassword(clear);
    let found = false;
    // Compare every hash in full: the time taken says nothing about which one (nearly) matched.
    for (const p of this.passwords) {
      let diff = 0;
      for (let i = 0; i < 64; i++) diff |= p.charCodeAt(i) ^ hashed.charCodeAt(i);
      if (diff === 0) found = true;
    }
    return found;
  }

  /** Applies one rule (Redis ACLSetUser); the caller refreshes. Returns the refusal, or null. */
  apply(op: string, pubsubDefault: number): RuleError | null {
    if (op === '') return null;
    switch (op.toLowerCase()) {
      case 'on':
        this.flags = (this.flags | UserFlag.ENABLED) & ~UserFlag.DISABLED;
        return null;
      case 'off':
        this.flags = (this.flags | UserFlag.DISABLED) & ~UserFlag.ENABLED;
        return null;
      case 'skip-sanitize-payload':
        this.flags = (this.flags | UserFlag.SANITIZE_PAYLOAD_SKIP) & ~UserFlag.SANITIZE_PAYLOAD;
        return null;
      case 'sanitize-payload':
        this.flags = (this.flags | UserFlag.SANITIZE_PAYLOAD) & ~UserFlag.SANITIZE_PAYLOAD_SKIP;
        return null;
      case 'nopass':
        this.flags |= UserFlag.NOPASS;
        this.passwords = [];
        return null;
      case 'resetpass':
        this.flags &= ~UserFlag.NOPASS;
        this.passwords = [];
        return null;
      case 'clearselectors':
        this.selectors.length = 1;
        return null;
      case 'reset':
        this.reset(pubsubDefault);
        return null;
    }
    const first = op[0];
    if (first === '>' || first === '#') {
      const hash = first === '>' ? hashPassword(op.slice(1)) : op.slice(1);
      if (first === '#' && !validHash(hash)) return 'EBADMSG';
      if (!this.passwords.includes(hash)) this.passwords.push(hash);
      this.flags &= ~UserFlag.NOPASS;
      return null;
    }
    if (first === '<' || first === '!') {
      const hash = first === '<' ? hashPassword(op.slice(1)) : op.slice(1);
      if (first === '!' && !validHash(hash)) return 'EBADMSG';
      const i = this.passwords.indexOf(hash);
      if (i === -1) return 'ENODEV';
      this.passwords.splice(i, 1);
      return null;
    }
    if (first === '(' && op[op.length - 1] === ')') {
      const s = selectorFromOpSet(op, pubsubDefault);
      if (typeof s === 'string') return s;
      this.selectors.push(s);
      return null;
    }
    return this.root.apply(op);
  }

  /** `reset`: no passwords, keys, channels (but the pub/sub default), selectors or commands; off. */
  private reset(pubsubDefault: number): void {
    this.flags &= ~UserFlag.NOPASS;
    this.passwords = [];
    const root = this.root;
    root.apply('resetkeys');
    root.apply('resetchannels');
    if (pubsubDefault & SelectorFlag.ALLCHANNELS) root.apply('allchannels');
    this.flags = (this.flags | UserFlag.DISABLED | UserFlag.SANITIZE_PAYLOAD) & ~(UserFlag.ENABLED | UserFlag.SANITIZE_PAYLOAD_SKIP);
    this.selectors.length = 1;
    root.apply('-@all');
  }

  /** Recomputes the dispatcher's verdicts and drops the cached description. */
  refresh(): void {
    this.described = null;
    const open = this.open;
    open.fill(0);
    for (const s of this.selectors) {
      const all = (s.flags & SelectorFlag.ALLCOMMANDS) !== 0;
      const allKeys = (s.flags & SelectorFlag.ALLKEYS) !== 0;
      const allChannels = (s.flags & SelectorFlag.ALLCHANNELS) !== 0;
      for (let id = 0; id < ID_COUNT; id++) {
        if (open[id] === 1 || BY_ID[id] === undefined) continue;
        if (!all && NO_AUTH[id] === 0 && !s.hasBit(id)) continue;
        if (HAS_KEYS[id] === 1 && !allKeys) continue;
        if (HAS_CHANNELS[id] === 1 && !allChannels) continue;
        open[id] = 1;
      }
    }
  }
}
