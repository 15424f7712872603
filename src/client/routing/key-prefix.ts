/**
 * `keyPrefix`: the prefix goes onto every key a command names — the key positions the command
 * table (or a command learned from the servers) gives, so fan-out parts, EVAL/FCALL's KEYS and
 * multi-key commands are covered alike — and onto the patterns that select keys: KEYS' pattern
 * and SCAN's MATCH (a SCAN without MATCH gets `MATCH <prefix>*`, so it only sees this client's
 * keys). Glob characters in the prefix are escaped in patterns.
 *
 * Replies that name keys come back with the prefix taken off: KEYS, SCAN, RANDOMKEY, the key of
 * BLPOP/BRPOP/BZPOPMIN/BZPOPMAX, of LMPOP/BLMPOP/ZMPOP/BZMPOP, and the stream names of
 * XREAD/XREADGROUP. A key without the prefix (written by another client) is returned as is, except
 * RANDOMKEY's: the server may pick any key of the database, and one without the prefix is not this
 * client's, so it comes back as null (the client's randomkey() then looks for one with SCAN).
 * Pub/sub channels are not keys and are not prefixed. Pure: no I/O, no state beyond the prefix.
 */

import type { CommandSpec } from '../../commands/spec.js';
import type { RespValue } from '../../protocol/resp-types.js';
import type { Arg } from '../transport/command.js';
import { keysOf, rememberServerKeys } from './command-keys.js';

/** How a command's reply names keys: where to strip the prefix. */
type Stripper = (reply: RespValue, strip: (v: RespValue) => RespValue) => RespValue;

const eachKey: Stripper = (r, s) => (Array.isArray(r) ? r.map(s) : r);
/** [key, …rest] (BLPOP, BZPOPMIN, LMPOP …), or null. */
const firstKey: Stripper = (r, s) => (Array.isArray(r) && r.length > 0 ? [s(r[0]!), ...r.slice(1)] : r);
/** SCAN: [cursor, keys]. */
const scanPage: Stripper = (r, s) => (Array.isArray(r) && r.length === 2 ? [r[0]!, eachKey(r[1]!, s)] : r);
/** XREAD: a map of stream → entries (RESP3), or [[stream, entries], …] (RESP2). */
const streams: Stripper = (r, s) => {
  if (r instanceof Map) return new Map([...r].map(([k, v]) => [s(k), v]));
  return Array.isArray(r) ? r.map((pair) => firstKey(pair, s)) : r;
};

const STRIPPERS: Readonly<Record<string, Stripper>> = {
  keys: eachKey,
  scan: scanPage,
  randomkey: (r, s) => {
    const u = s(r);
    return u === r ? null : u; // unchanged: not ours (a nil stays nil)
  },
  blpop: firstKey,
  brpop: firstKey,
  bzpopmin: firstKey,
  bzpopmax: firstKey,
  lmpop: firstKey,
  blmpop: firstKey,
  zmpop: firstKey,
  bzmpop: firstKey,
  xread: streams,
  xreadgroup: streams,
};

/** `s` with the glob characters of SCAN MATCH / KEYS escaped. */
function globEscape(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&');
}

function text(a: Arg): string {
  return typeof a === 'string' ? a : Buffer.isBuffer(a) ? a.toString('utf8') : String(a);
}

export class KeyPrefix {
  private readonly bytes: Buffer;
  private readonly glob: string;
  private readonly stripFn = (v: RespValue): RespValue => this.unprefixed(v);

  constructor(readonly prefix: string) {
    this.bytes = Buffer.from(prefix, 'utf8');
    this.glob = globEscape(prefix);
  }

  /** One key with the prefix (a Buffer key stays a Buffer). */
  key(k: Arg): Arg {
    return Buffer.isBuffer(k) ? Buffer.concat([this.bytes, k]) : this.prefix + String(k);
  }

  /** argv with the prefix on its keys and key patterns (a new array), or argv itself when it names none. */
  apply(spec: CommandSpec, argv: readonly Arg[]): readonly Arg[] {
    if (spec.fullName === 'keys') return argv.length === 2 ? [argv[0]!, this.glob + text(argv[1]!)] : argv;
    if (spec.fullName === 'scan') return this.scan(argv);
    const positions = keysOf(spec, argv);
    if (positions === null || positions.length === 0) return argv;
    const out = argv.slice();
    for (const i of positions) out[i] = this.key(argv[i]!);
    // The server found these keys for argv (COMMAND GETKEYS); they sit at the same places in out.
    if (spec.keysFromServer === true) rememberServerKeys(out, positions);
    return out;
  }

  /** Whether the command's reply names keys (`strip` changes it). */
  strips(spec: CommandSpec): boolean {
    return STRIPPERS[spec.fullName] !== undefined;
  }

  /** The reply with the prefix taken off the keys it names. */
  strip(spec: CommandSpec, reply: RespValue): RespValue {
    const s = STRIPPERS[spec.fullName];
    return s === undefined ? reply : s(reply, this.stripFn);
  }

  private scan(argv: readonly Arg[]): readonly Arg[] {
    const out = argv.slice();
    for (let i = 2; i + 1 < out.length; i++) {
      if (text(out[i]!).toUpperCase() === 'MATCH') {
        out[i + 1] = this.glob + text(out[i + 1]!);
        return out;
      }
    }
    out.push('MATCH', `${this.glob}*`);
    return out;
  }

  private unprefixed(v: RespValue): RespValue {
    if (typeof v === 'string') return v.startsWith(this.prefix) ? v.slice(this.prefix.length) : v;
    if (Buffer.isBuffer(v)) return v.subarray(0, this.bytes.length).equals(this.bytes) ? v.subarray(this.bytes.length) : v;
    return v;
  }
}
