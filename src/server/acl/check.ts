/**
 * Whether a user may run one command with its arguments (Redis ACLCheckAllUserCommandPerm): some
 * selector must allow the command (or its first argument), every key the command names with the
 * read/write access its key specs declare, and every channel it publishes or subscribes to.
 *
 * Keys come from the command table as Redis's getKeysFromCommandWithSpecs finds them: the key
 * specs when they are complete and their flags fixed, else the command's key finder (SORT's
 * STORE, MIGRATE's KEYS, SET … GET, BITFIELD's read-only form, numkeys commands whose numkeys is
 * malformed). A key spec's ACCESS flag needs read permission; INSERT, DELETE and UPDATE need
 * write permission; NOT_KEY arguments (shard channels) are not keys.
 *
 * Hot path: the keys of one check go into module-level scratch arrays (no allocation per call);
 * checks never nest (a script's calls are checked after its own command's check finished).
 */

import { Flag } from '../../commands/flags.js';
import type { CommandSpec, KeySpec } from '../../commands/spec.js';
import { globMatch } from '../util/glob.js';
import { ChannelUse, ID_COUNT, checkedChannels } from './catalog.js';
import { KeyPerm, SelectorFlag, type Selector } from './selector.js';
import type { AclUser } from './user.js';

/** Redis ACL_OK / ACL_DENIED_*: a larger code wins when selectors disagree. */
export const Acl = { OK: 0, DENIED_CMD: 1, DENIED_KEY: 2, DENIED_AUTH: 3, DENIED_CHANNEL: 4 } as const;

export interface AclVerdict {
  code: number;
  /** The argument that was refused (DENIED_KEY, DENIED_CHANNEL). */
  pos: number;
}

interface SpecInfo {
  readonly spec: KeySpec;
  readonly perm: number;
  readonly notKey: boolean;
  readonly incomplete: boolean;
}

interface KeyInfo {
  readonly specs: readonly SpecInfo[];
  /** Some spec is a real key and no spec has variable flags: the specs are used first. */
  readonly bySpecs: boolean;
}

/** Permission a key spec needs (Redis: ACCESS → read; INSERT, DELETE, UPDATE → write). */
function specPerm(flags: readonly string[]): number {
  let perm = 0;
  for (const f of flags) {
    const u = f.toUpperCase();
    if (u === 'ACCESS') perm |= KeyPerm.READ;
    else if (u === 'INSERT' || u === 'DELETE' || u === 'UPDATE') perm |= KeyPerm.WRITE;
  }
  return perm;
}

const INFO: (KeyInfo | undefined)[] = new Array<KeyInfo | undefined>(ID_COUNT);

function keyInfo(spec: CommandSpec): KeyInfo {
  let info = INFO[spec.id];
  if (info !== undefined) return info;
  const specs = spec.keySpecs.map((ks) => {
    const up = ks.flags.map((f) => f.toUpperCase());
    return { spec: ks, perm: specPerm(ks.flags), notKey: up.includes('NOT_KEY'), incomplete: up.includes('INCOMPLETE') };
  });
  const variable = spec.keySpecs.some((ks) => ks.flags.some((f) => f.toUpperCase() === 'VARIABLE_FLAGS'));
  info = { specs, bySpecs: specs.some((s) => !s.notKey) && !variable };
  INFO[spec.id] = info;
  return info;
}

/** Scratch: positions and needed permissions of the keys of the command being checked. */
let keyPos = new Int32Array(64);
let keyPerm = new Uint8Array(64);
let keyCount = 0;

function pushKey(pos: number, perm: number): void {
  if (keyCount === keyPos.length) {
    const p = new Int32Array(keyCount * 2);
    p.set(keyPos);
    keyPos = p;
    const q = new Uint8Array(keyCount * 2);
    q.set(keyPerm);
    keyPerm = q;
  }
  keyPos[keyCount] = pos;
  keyPerm[keyCount++] = perm;
}

function strictInt(s: string): number {
  return /^-?(0|[1-9]\d{0,17})$/.test(s) ? Number(s) : NaN;
}

/** Redis getKeysUsingKeySpecs; false when a spec is invalid for these arguments (or incomplete). */
function keysFromSpecs(info: KeyInfo, argv: readonly string[]): boolean {
  const argc = argv.length;
  for (const s of info.specs) {
    if (s.notKey) continue;
    const ks = s.spec;
    if (ks.find === 'unknown') return false;
    let first = 0;
    if (typeof ks.begin === 'number') first = ks.begin;
    else {
      const from = ks.begin.startFrom;
      const start = from > 0 ? from : argc + from;
      const end = from > 0 ? argc - 1 : 1;
      const kw = ks.begin.keyword.toLowerCase();
      for (let i = start; i !== end; i = start <= end ? i + 1 : i - 1) {
        if (i >= argc || i < 1) break;
        if (argv[i]!.toLowerCase() === kw) {
          first = i + 1;
          break;
        }
      }
      if (first === 0) continue;
    }
    let last: number;
    let step: number;
    if (ks.find === 'range') {
      step = ks.keyStep;
      if (ks.lastKey >= 0) last = first + ks.lastKey;
      else if (ks.limit === 0) last = argc + ks.lastKey;
      else last = first + (Math.floor((argc - first) / ks.limit) + ks.lastKey);
    } else {
      step = ks.keyStep;
      if (first + ks.keynumIdx >= argc) return false;
      const n = strictInt(argv[first + ks.keynumIdx]!);
      if (Number.isNaN(n) || n < 0) return false;
      first += ks.firstKey;
      last = first + n - 1;
    }
    if (last >= argc || last < first || first >= argc) return false;
    for (let i = first; i <= last; i += step) if (i < argc) pushKey(i, s.perm);
    if (s.incomplete) return false;
  }
  return true;
}

/** C atoi: leading digits after optional blanks and sign, else 0. */
function atoi(s: string): number {
  const n = parseInt(s, 10);
  return Number.isNaN(n) ? 0 : n;
}

/** Redis genericGetKeys: `numkeys key …` with an optional store key; keys carry no flags. */
function numkeysKeys(argv: readonly string[], store: number, count: number, first: number): void {
  const num = atoi(argv[count]!);
  if (num < 1 || num > argv.length - first) return;
  for (let i = 0; i < num; i++) pushKey(first + i, 0);
  if (store > 0) pushKey(store, 0);
}

type KeyFinder = (argv: readonly string[]) => void;

const FINDERS: Readonly<Record<string, KeyFinder>> = {
  set(argv) {
    const get = argv.some((a, i) => i >= 3 && a.toLowerCase() === 'get');
    pushKey(1, get ? KeyPerm.READ | KeyPerm.WRITE : KeyPerm.WRITE);
  },
  bitfield(argv) {
    let readonly = true;
    for (let i = 2; i < argv.length; i++) {
      const rem = argv.length - i - 1;
      const a = argv[i]!.toLowerCase();
      if (a === 'get' && rem >= 2) i += 2;
      else if ((a === 'set' || a === 'incrby') && rem >= 3) {
        readonly = false;
        break;
      } else if (a === 'overflow' && rem >= 1) i += 1;
      else {
        readonly = false;
        break;
      }
    }
    pushKey(1, readonly ? KeyPerm.READ : KeyPerm.READ | KeyPerm.WRITE);
  },
  sort(argv) {
    pushKey(1, KeyPerm.READ);
    const skip: Record<string, number> = { limit: 2, get: 1, by: 1 };
    let store = -1;
    for (let i = 2; i < argv.length; i++) {
      const a = argv[i]!.toLowerCase();
      const n = skip[a];
      if (n !== undefined) i += n;
      else if (a === 'store' && i + 1 < argv.length) store = i + 1;
    }
    if (store !== -1) pushKey(store, KeyPerm.WRITE);
  },
  sort_ro() {
    pushKey(1, KeyPerm.READ);
  },
  migrate(argv) {
    let first = 3;
    let num = 1;
    const skip: Record<string, number> = { copy: 0, replace: 0, auth: 1, auth2: 2 };
    if (argv.length > 6) {
      for (let i = 6; i < argv.length; i++) {
        const a = argv[i]!.toLowerCase();
        if (a === 'keys') {
          if (argv[3]!.length > 0) num = 0;
          else {
            first = i + 1;
            num = argv.length - first;
          }
          break;
        }
        i += skip[a] ?? 0;
      }
    }
    for (let i = 0; i < num; i++) pushKey(first + i, KeyPerm.READ | KeyPerm.WRITE);
  },
  georadius: (argv) => geoStoreKeys(argv),
  georadiusbymember: (argv) => geoStoreKeys(argv),
  xread: (argv) => streamKeys(argv),
  xreadgroup: (argv) => streamKeys(argv),
};

function geoStoreKeys(argv: readonly string[]): void {
  let stored = -1;
  for (let i = 5; i < argv.length; i++) {
    const a = argv[i]!.toLowerCase();
    if ((a === 'store' || a === 'storedist') && i + 1 < argv.length) stored = ++i;
  }
  pushKey(1, 0);
  if (stored !== -1) pushKey(stored, 0);
}

function streamKeys(argv: readonly string[]): void {
  let streams = -1;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!.toLowerCase();
    if (a === 'block' || a === 'count') i++;
    else if (a === 'group') i += 2;
    else if (a === 'noack') continue;
    else {
      if (a === 'streams') streams = i;
      break;
    }
  }
  const num = streams === -1 ? 0 : argv.length - streams - 1;
  if (num === 0 || num % 2 !== 0) return;
  for (let i = streams + 1; i < argv.length - num / 2; i++) pushKey(i, 0);
}

/** [store, numkeys, first key] for the commands whose key finder is Redis's genericGetKeys. */
const NUMKEYS: Readonly<Record<string, readonly [number, number, number]>> = {
  eval: [0, 2, 3], evalsha: [0, 2, 3], eval_ro: [0, 2, 3], evalsha_ro: [0, 2, 3], fcall: [0, 2, 3], fcall_ro: [0, 2, 3],
  zunion: [0, 1, 2], zinter: [0, 1, 2], zdiff: [0, 1, 2], zintercard: [0, 1, 2], sintercard: [0, 1, 2],
  zunionstore: [1, 2, 3], zinterstore: [1, 2, 3], zdiffstore: [1, 2, 3],
  lmpop: [0, 1, 2], zmpop: [0, 1, 2], blmpop: [0, 2, 3], bzmpop: [0, 2, 3],
};

/** Fills the scratch arrays with the command's keys (Redis getKeysFromCommandWithSpecs). */
function findKeys(spec: CommandSpec, argv: readonly string[]): void {
  keyCount = 0;
  const info = keyInfo(spec);
  if (info.bySpecs && keysFromSpecs(info, argv)) return;
  keyCount = 0;
  const finder = FINDERS[spec.fullName];
  if (finder !== undefined) return finder(argv);
  const nk = NUMKEYS[spec.fullName];
  if (nk !== undefined) numkeysKeys(argv, nk[0], nk[1], nk[2]);
}

function keyAllowed(sel: Selector, key: string, need: number): boolean {
  for (const p of sel.patterns) {
    if ((p.perm & need) !== need) continue;
    if (globMatch(p.pattern, key)) return true;
  }
  return false;
}

/** Redis ACLCheckChannelAgainstList: a pattern subscription must name an ACL pattern literally. */
export function channelAllowed(list: readonly string[], channel: string, isPattern: boolean): boolean {
  for (const p of list) if (isPattern ? p === channel : globMatch(p, channel)) return true;
  return false;
}

/** One selector's verdict (Redis ACLSelectorCheckCmd); the keys are found once per check. */
function checkSelector(sel: Selector, spec: CommandSpec, argv: readonly string[], out: AclVerdict, keys: { ready: boolean }): void {
  out.code = Acl.OK;
  if (!(sel.flags & SelectorFlag.ALLCOMMANDS) && !(spec.flags & Flag.NO_AUTH) && !sel.hasBit(spec.id)) {
    const args = sel.firstArgs?.get(spec.id);
    const idx = spec.parent !== null ? 2 : 1;
    if (args === undefined || argv.length < 2 || !args.some((a) => a.toLowerCase() === argv[idx]?.toLowerCase())) {
      out.code = Acl.DENIED_CMD;
      return;
    }
  }
  if (!(sel.flags & SelectorFlag.ALLKEYS) && spec.keySpecs.length > 0) {
    if (!keys.ready) {
      findKeys(spec, argv);
      keys.ready = true;
    }
    for (let j = 0; j < keyCount; j++) {
      const pos = keyPos[j]!;
      if (!keyAllowed(sel, argv[pos]!, keyPerm[j]!)) {
        out.code = Acl.DENIED_KEY;
        out.pos = pos;
        return;
      }
    }
  }
  if (!(sel.flags & SelectorFlag.ALLCHANNELS)) {
    const ch = checkedChannels(spec);
    if (ch === null) return;
    const stop = ch[1] === -1 ? argv.length : Math.min(argv.length, ch[0] + ch[1]);
    const isPattern = (ch[2] & ChannelUse.PATTERN) !== 0;
    for (let i = ch[0]; i < stop; i++) {
      if (!channelAllowed(sel.channels, argv[i]!, isPattern)) {
        out.code = Acl.DENIED_CHANNEL;
        out.pos = i;
        return;
      }
    }
  }
}

const scratch: AclVerdict = { code: 0, pos: 0 };
const keysState = { ready: false };

/**
 * The user's verdict on a command (Redis ACLCheckAllUserCommandPerm): OK as soon as one selector
 * allows it; otherwise a denied command, or the key or channel refused at the latest position.
 * The returned object is reused by the next call.
 */
export function checkCommand(user: AclUser, spec: CommandSpec, argv: readonly string[]): AclVerdict {
  let code: number = Acl.DENIED_CMD;
  let pos = 0;
  keysState.ready = false;
  for (const sel of user.selectors) {
    checkSelector(sel, spec, argv, scratch, keysState);
    if (scratch.code === Acl.OK) return scratch;
    if (scratch.code > code || (scratch.code === code && scratch.pos > pos)) {
      code = scratch.code;
      pos = scratch.pos;
    }
  }
  scratch.code = code;
  scratch.pos = pos;
  return scratch;
}

/**
 * Redis ACLUserCheckCmdWithUnrestrictedKeyAccess: some selector allows the command and has
 * `perm` access to every key (`~*`, `%R~*`… or allkeys). SORT's BY and GET need it.
 */
export function hasFullKeyAccess(user: AclUser, spec: CommandSpec, argv: readonly string[], perm: number): boolean {
  keysState.ready = false;
  for (const sel of user.selectors) {
    checkSelector(sel, spec, argv, scratch, keysState);
    if (scratch.code !== Acl.OK) continue;
    if (sel.flags & SelectorFlag.ALLKEYS) return true;
    if (sel.patterns.some((p) => (p.perm & perm) === perm && p.pattern === '*')) return true;
  }
  return false;
}
