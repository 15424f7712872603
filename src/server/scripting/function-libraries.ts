/**
 * The function libraries (Redis functions.c): libraries by name (case-sensitive), functions by
 * name across all libraries (case-insensitive, as Redis's dict), and FUNCTION LOAD's creation of a
 * library with Redis's checks and error texts. A failed load or replace leaves the previous
 * libraries untouched. Every compiled function is a reference in the function interpreter; a
 * library that goes away releases its references.
 */

import type { LuaEngine } from './lua-engine.js';
import { parseLibraryHeader } from './script-flags.js';

export interface FunctionInfo {
  readonly name: string;
  readonly library: Library;
  readonly ref: number;
  /** `ref` as the registry index the VM takes (a bigint, made once). */
  readonly slot: bigint;
  readonly description: string | null;
  readonly flags: number;
}

export interface Library {
  readonly name: string;
  readonly engine: 'LUA';
  /** The whole payload given to FUNCTION LOAD (FUNCTION LIST WITHCODE, DUMP, snapshots). */
  readonly code: string;
  readonly functions: FunctionInfo[];
}

/** Redis's per-function and per-library bookkeeping, for INFO used_memory_functions. */
const FUNCTION_OVERHEAD = 96;
const LIBRARY_OVERHEAD = 128;
export const LOAD_TIMEOUT_MS = 500;

const NAME_RE = /^[A-Za-z0-9_]+$/;
const BAD_NAME = 'ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long';

export class FunctionLibraries {
  private readonly libs = new Map<string, Library>();
  private readonly fns = new Map<string, FunctionInfo>();
  /** Bytes of the libraries' code plus overhead (INFO used_memory_functions). */
  memory = 0;

  /** `onMemory` receives every change of `memory` (the node's used_memory counts it). */
  constructor(private readonly onMemory: (delta: number) => void) {}

  private account(bytes: number): void {
    this.memory += bytes;
    this.onMemory(bytes);
  }

  get size(): number {
    return this.libs.size;
  }

  get functionCount(): number {
    return this.fns.size;
  }

  libraries(): IterableIterator<Library> {
    return this.libs.values();
  }

  library(name: string): Library | undefined {
    return this.libs.get(name);
  }

  /** The function with this name (any letter case). */
  find(name: string): FunctionInfo | undefined {
    return this.fns.get(name.toLowerCase());
  }

  /**
   * FUNCTION LOAD: compiles and registers a library; returns its name, or the error reply.
   * `timeoutMs` bounds the library's top-level code (0 for none: replication, loading).
   */
  create(engine: LuaEngine, payload: string, replace: boolean, timeoutMs: number): string | { error: string } {
    const lib = this.build(engine, payload, replace, timeoutMs);
    if ('error' in lib) return lib;
    const old = this.libs.get(lib.name);
    for (const fn of lib.functions) {
      const other = this.fns.get(fn.name.toLowerCase());
      if (other !== undefined && other.library !== old) {
        this.release(engine, lib);
        return { error: `ERR Function ${fn.name} already exists` };
      }
    }
    if (old !== undefined) this.unlink(engine, old);
    this.link(lib);
    return lib.name;
  }

  /** Compiles a library without linking it (FUNCTION LOAD, RESTORE, snapshot loading). */
  build(engine: LuaEngine, payload: string, replace: boolean, timeoutMs: number): Library | { error: string } {
    const header = parseLibraryHeader(payload);
    if (typeof header === 'string') return { error: header };
    if (!NAME_RE.test(header.name)) return { error: BAD_NAME };
    if (header.engine.toLowerCase() !== 'lua') return { error: `ERR Engine '${header.engine}' not found` };
    if (this.libs.has(header.name) && !replace) return { error: `ERR Library '${header.name}' already exists` };
    const chunk = engine.compile(header.code, '@user_function');
    if (typeof chunk === 'string') return { error: `ERR Error compiling function: ${chunk}` };
    const registered = engine.loadLibrary(chunk, timeoutMs);
    engine.unref(chunk);
    if (typeof registered === 'string') return { error: `ERR Error registering functions: ${registered}` };
    if (registered.length === 0) return { error: 'ERR No functions registered' };
    const functions: FunctionInfo[] = [];
    const lib: Library = { name: header.name, engine: 'LUA', code: payload, functions };
    for (const r of registered) functions.push({ name: r.name, library: lib, ref: r.ref, slot: BigInt(r.ref), description: r.description, flags: r.flags });
    return lib;
  }

  private link(lib: Library): void {
    this.libs.set(lib.name, lib);
    for (const fn of lib.functions) this.fns.set(fn.name.toLowerCase(), fn);
    this.account(lib.code.length + LIBRARY_OVERHEAD + lib.functions.length * FUNCTION_OVERHEAD);
  }

  private unlink(engine: LuaEngine, lib: Library): void {
    this.libs.delete(lib.name);
    for (const fn of lib.functions) this.fns.delete(fn.name.toLowerCase());
    this.account(-(lib.code.length + LIBRARY_OVERHEAD + lib.functions.length * FUNCTION_OVERHEAD));
    this.release(engine, lib);
  }

  private release(engine: LuaEngine, lib: Library): void {
    for (const fn of lib.functions) engine.unref(fn.ref);
  }

  /** FUNCTION DELETE; false when there is no such library. */
  delete(engine: LuaEngine, name: string): boolean {
    const lib = this.libs.get(name);
    if (lib === undefined) return false;
    this.unlink(engine, lib);
    return true;
  }

  /** FUNCTION FLUSH. */
  clear(engine: LuaEngine): void {
    for (const lib of [...this.libs.values()]) this.unlink(engine, lib);
  }

  /**
   * FUNCTION RESTORE APPEND/REPLACE (libraryJoin): adds the built libraries, replacing same-named
   * ones only with `replace`; on any collision nothing changes and the error is returned.
   */
  join(engine: LuaEngine, incoming: readonly Library[], replace: boolean): string | null {
    const replaced = new Set<Library>();
    for (const lib of incoming) {
      const old = this.libs.get(lib.name);
      if (old === undefined) continue;
      if (!replace) return `ERR Library ${lib.name} already exists`;
      replaced.add(old);
    }
    const names = new Set<string>();
    for (const lib of incoming) {
      for (const fn of lib.functions) {
        const key = fn.name.toLowerCase();
        const other = this.fns.get(key);
        if ((other !== undefined && !replaced.has(other.library)) || names.has(key)) return `ERR Function ${fn.name} already exists`;
        names.add(key);
      }
    }
    for (const old of replaced) this.unlink(engine, old);
    for (const lib of incoming) this.link(lib);
    return null;
  }

  /** Releases libraries that were built but not kept (a failed RESTORE). */
  discard(engine: LuaEngine, libs: readonly Library[]): void {
    for (const lib of libs) this.release(engine, lib);
  }
}
