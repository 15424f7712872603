/**
 * The EVAL script cache (Redis's lctx.lua_scripts): sha1 of the body → compiled function and the
 * script's shebang flags. Lookups by sha are case-insensitive (Redis hashes them so); a second
 * index by body lets a repeated EVAL skip hashing. SCRIPT FLUSH empties it together with the
 * interpreter the functions lived in, so references are never released one by one.
 */

import type { LuaEngine } from './lua-engine.js';
import { parseEvalShebang } from './script-flags.js';
import { sha1hex } from './sha1hex.js';

export interface CachedScript {
  readonly sha: string;
  readonly body: string;
  readonly flags: number;
  readonly ref: number;
  /** `ref` as the registry index the VM takes (a bigint, made once). */
  readonly slot: bigint;
}

/** Redis's per-script bookkeeping overhead (dict entry + luaScript), for INFO. */
const PER_SCRIPT_OVERHEAD = 64;

export class ScriptCache {
  private readonly bySha = new Map<string, CachedScript>();
  private readonly byBody = new Map<string, CachedScript>();
  /** Bytes of the cached bodies plus overhead (INFO used_memory_scripts_eval). */
  memory = 0;

  /** `onMemory` receives every change of `memory` (the node's used_memory counts it). */
  constructor(private readonly onMemory: (delta: number) => void) {}

  get size(): number {
    return this.bySha.size;
  }

  /** The script with this sha (any letter case), or undefined. */
  get(sha: string): CachedScript | undefined {
    return this.bySha.get(sha) ?? (sha.length === 40 ? this.bySha.get(sha.toLowerCase()) : undefined);
  }

  /** A body already cached, without hashing it. */
  peekBody(body: string): CachedScript | undefined {
    return this.byBody.get(body);
  }

  /** Compiles and caches a body (luaCreateFunction); a string is the error reply. */
  create(engine: LuaEngine, body: string): CachedScript | string {
    const known = this.byBody.get(body);
    if (known !== undefined) return known;
    const sha = sha1hex(body);
    const bySha = this.bySha.get(sha);
    if (bySha !== undefined) return bySha;
    const shebang = parseEvalShebang(body);
    if (typeof shebang === 'string') return shebang;
    // The shebang line is skipped but its line feed kept, so line numbers stay the user's.
    const ref = engine.compile(body.slice(shebang.length), '@user_script');
    if (typeof ref === 'string') return `ERR Error compiling script (new function): ${ref}`;
    const script = { sha, body, flags: shebang.flags, ref, slot: BigInt(ref) };
    this.bySha.set(sha, script);
    this.byBody.set(body, script);
    const bytes = body.length + sha.length + PER_SCRIPT_OVERHEAD;
    this.memory += bytes;
    this.onMemory(bytes);
    return script;
  }

  clear(): void {
    this.bySha.clear();
    this.byBody.clear();
    this.onMemory(-this.memory);
    this.memory = 0;
  }
}
