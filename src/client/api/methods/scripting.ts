/**
 * Scripts and functions: `script(lua)` (a Script run by SHA, loading itself on NOSCRIPT:
 * ../script.ts), `eval`, `fcall`, and the management commands (SCRIPT LOAD/EXISTS/FLUSH, FUNCTION
 * LOAD/DELETE/FLUSH/LIST/DUMP/RESTORE). Replies of scripts and functions are raw (RespValue, one
 * shape on RESP2 and RESP3, as with call()): what a script returns is the script's business.
 *
 * Routing: a script or function call goes to the shard owning its keys (all on one shard, else
 * CrossShardError); with no keys, to the first shard on the ring or `{ shard }`. Loading and
 * flushing go to every shard (their command-table tips say all_shards / all_nodes), so a function
 * loaded with functionLoad() can be called whichever shard its keys hash to. FUNCTION LIST and
 * DUMP ask one shard (the first, or `{ shard }`); RESTORE goes to every shard.
 */

import { InvalidArgumentError } from '../../../errors.js';
import type { RespValue } from '../../../protocol/resp-types.js';
import type { CallOptions } from '../../routing/route.js';
import type { Arg } from '../../transport/command.js';
import * as D from '../decode.js';
import { argvOrError, evalArgv, Script, type ScriptOptions } from '../script.js';
import { StreamCommands } from './streams.js';

/** How SCRIPT FLUSH / FUNCTION FLUSH free memory: in the background (ASYNC) or before replying (SYNC). */
export type FlushMode = 'ASYNC' | 'SYNC';

/** FUNCTION LOAD's options. */
export interface FunctionLoadOptions {
  /** Replace a library of the same name (FUNCTION LOAD REPLACE). */
  replace?: boolean;
}

/** FUNCTION LIST's options, and which shard to ask. */
export interface FunctionListOptions {
  /** Only libraries whose name matches this glob pattern (LIBRARYNAME). */
  libraryName?: string;
  /** Include each library's source (WITHCODE). */
  withCode?: boolean;
  /** Ask this shard (default: the first on the ring). */
  shard?: string;
}

/** One function of a library, as FUNCTION LIST reports it. */
export interface FunctionInfo {
  /** The function's name (what fcall() takes). */
  name: string;
  /** Its description, or null when the library gave none. */
  description: string | null;
  /** Its flags, e.g. 'no-writes', 'allow-oom'. */
  flags: string[];
}

/** One library, as FUNCTION LIST reports it. */
export interface LibraryInfo {
  /** The library's name (from its `#!lua name=` line). */
  libraryName: string;
  /** The engine that runs it ('LUA'). */
  engine: string;
  /** The functions it registers. */
  functions: FunctionInfo[];
  /** The library's source, with `withCode` only. */
  libraryCode?: string;
}

/** A map-shaped reply (flat [name, value, …] on either protocol) as a Map by field name. */
function fieldsOf(v: RespValue): Map<string, RespValue> {
  const out = new Map<string, RespValue>();
  const a = Array.isArray(v) ? v : [];
  for (let i = 0; i + 1 < a.length; i += 2) out.set(D.text(a[i]!), a[i + 1]!);
  return out;
}

const functionInfo = (v: RespValue): FunctionInfo => {
  const f = fieldsOf(v);
  return { name: D.text(f.get('name') ?? null), description: D.strOrNull(f.get('description') ?? null), flags: D.strList(f.get('flags') ?? null) };
};

const libraryInfo = (v: RespValue): LibraryInfo => {
  const f = fieldsOf(v);
  const lib: LibraryInfo = {
    libraryName: D.text(f.get('library_name') ?? null),
    engine: D.text(f.get('engine') ?? null),
    functions: (Array.isArray(f.get('functions')) ? (f.get('functions') as RespValue[]) : []).map(functionInfo),
  };
  const code = f.get('library_code');
  if (code !== undefined) lib.libraryCode = D.text(code);
  return lib;
};

/** Call options naming one shard, or none (the first on the ring); a shard that is not a name throws. */
function oneShard(method: string, shard: unknown): CallOptions | undefined {
  if (shard === undefined) return undefined;
  if (typeof shard !== 'string') throw new InvalidArgumentError(`${method}: shard must be a shard name`);
  return { shard };
}

const libraryList: D.Decoder<LibraryInfo[]> = (v) => (Array.isArray(v) ? v.map(libraryInfo) : []);

export abstract class ScriptingCommands extends StreamCommands {
  /**
   * A script run by its SHA1 (EVALSHA), loading itself with one EVAL where a server lacks it
   * (first use, restart, SCRIPT FLUSH). Create it once and call `run(keys, args)` many times.
   */
  script(lua: string | Buffer, options?: ScriptOptions): Script {
    return new Script(lua, (argv, opts) => this.send(argv, opts), options);
  }

  /** EVAL: runs `lua` with its keys (one shard) and arguments; the script's reply as it is. */
  eval(lua: string | Buffer, keys: readonly Arg[] = [], args: readonly Arg[] = [], opts?: CallOptions): Promise<RespValue> {
    const argv = argvOrError(() => evalArgv('EVAL', lua, keys, args));
    return argv instanceof Error ? Promise.reject(argv) : this.send(argv, opts);
  }

  /** EVAL_RO: a script that only reads (may run on a replica under `readFrom`). */
  evalRo(lua: string | Buffer, keys: readonly Arg[] = [], args: readonly Arg[] = [], opts?: CallOptions): Promise<RespValue> {
    const argv = argvOrError(() => evalArgv('EVAL_RO', lua, keys, args));
    return argv instanceof Error ? Promise.reject(argv) : this.send(argv, opts);
  }

  /** FCALL: calls a function loaded with functionLoad() (on the shard owning `keys`). */
  fcall(fn: string, keys: readonly Arg[] = [], args: readonly Arg[] = [], opts?: CallOptions): Promise<RespValue> {
    const argv = argvOrError(() => evalArgv('FCALL', fn, keys, args));
    return argv instanceof Error ? Promise.reject(argv) : this.send(argv, opts);
  }

  /** FCALL_RO: a function flagged `no-writes` (may run on a replica under `readFrom`). */
  fcallRo(fn: string, keys: readonly Arg[] = [], args: readonly Arg[] = [], opts?: CallOptions): Promise<RespValue> {
    const argv = argvOrError(() => evalArgv('FCALL_RO', fn, keys, args));
    return argv instanceof Error ? Promise.reject(argv) : this.send(argv, opts);
  }

  /** SCRIPT LOAD on every shard; resolves with the script's SHA1. */
  scriptLoad(lua: string | Buffer): Promise<string> {
    return this.run(['SCRIPT', 'LOAD', lua], D.str);
  }

  /** SCRIPT EXISTS on every shard: true for a SHA1 every shard has. */
  scriptExists(shas: readonly string[]): Promise<boolean[]> {
    if (!Array.isArray(shas)) return Promise.reject(new InvalidArgumentError('scriptExists(shas): shas must be an array of SHA1 digests'));
    return this.run(['SCRIPT', 'EXISTS', ...shas], D.boolList);
  }

  /** SCRIPT FLUSH on every shard (scripts made with script() load themselves again). */
  scriptFlush(mode?: FlushMode): Promise<'OK'> {
    return this.run(mode === undefined ? ['SCRIPT', 'FLUSH'] : ['SCRIPT', 'FLUSH', mode], D.status);
  }

  /** FUNCTION LOAD on every shard; resolves with the library's name. */
  functionLoad(code: string | Buffer, options?: FunctionLoadOptions): Promise<string> {
    return this.run(options?.replace === true ? ['FUNCTION', 'LOAD', 'REPLACE', code] : ['FUNCTION', 'LOAD', code], D.str);
  }

  /** FUNCTION DELETE on every shard. */
  functionDelete(library: string): Promise<'OK'> {
    return this.run(['FUNCTION', 'DELETE', library], D.status);
  }

  /** FUNCTION FLUSH on every shard. */
  functionFlush(mode?: FlushMode): Promise<'OK'> {
    return this.run(mode === undefined ? ['FUNCTION', 'FLUSH'] : ['FUNCTION', 'FLUSH', mode], D.status);
  }

  /** FUNCTION LIST of one shard (libraries are loaded on every shard by functionLoad()). */
  async functionList(options?: FunctionListOptions): Promise<LibraryInfo[]> {
    const argv: Arg[] = ['FUNCTION', 'LIST'];
    if (options?.libraryName !== undefined) argv.push('LIBRARYNAME', options.libraryName);
    if (options?.withCode === true) argv.push('WITHCODE');
    return libraryList(await this.send(argv, oneShard('functionList', options?.shard)));
  }

  /** FUNCTION DUMP of one shard (the first, or `shard`): every library, as a payload for functionRestore(). */
  async functionDump(shard?: string): Promise<Buffer> {
    return D.buf(await this.send(['FUNCTION', 'DUMP'], { buffers: true, ...oneShard('functionDump', shard) }));
  }

  /**
   * FUNCTION RESTORE on every shard (a shard added to the ring gets the others' libraries this
   * way). `policy`: APPEND (default: a library that exists already is an error), REPLACE, FLUSH.
   */
  functionRestore(payload: Buffer, policy?: 'APPEND' | 'REPLACE' | 'FLUSH'): Promise<'OK'> {
    return this.run(policy === undefined ? ['FUNCTION', 'RESTORE', payload] : ['FUNCTION', 'RESTORE', payload, policy], D.status);
  }

}
