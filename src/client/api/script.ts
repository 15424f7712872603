/**
 * `Script`: a Lua script the client runs by its SHA1 (EVALSHA), so the script's text crosses the
 * network once per server rather than once per call. Created by `client.script(lua)`.
 *
 * Invariants: `run` sends EVALSHA (EVALSHA_RO for a read-only script); when that server answers
 * NOSCRIPT (it never saw the script, restarted, or ran SCRIPT FLUSH) it sends ONE EVAL (EVAL_RO) of
 * the same keys and arguments, which runs the script and leaves it in that server's script cache,
 * so the next EVALSHA finds it. Every other error is the caller's. Both commands take the client's
 * one route, so they go to the shard owning the script's keys (all of them on one shard, else
 * CrossShardError before anything is sent); a script without keys goes to the first shard on the
 * ring, or to `{ shard }`. A read-only script may run on replicas under `readFrom`.
 */

import { createHash } from 'node:crypto';
import { InvalidArgumentError, ReplyError } from '../../errors.js';
import type { RespValue } from '../../protocol/resp-types.js';
import type { CallOptions } from '../routing/route.js';
import type { Arg } from '../transport/command.js';

/** Sends one command through the client's route. */
export type ScriptSend = (argv: readonly Arg[], opts?: CallOptions) => Promise<RespValue>;

/** Options of `client.script(lua, options)`. */
export interface ScriptOptions {
  /**
   * The script only reads (it must not write: the server refuses writes): run it with
   * EVALSHA_RO / EVAL_RO, which may go to replicas under the client's `readFrom`.
   */
  readOnly?: boolean;
}

/** SHA1 of a script's text, in lowercase hex, as SCRIPT LOAD and EVALSHA name it. */
export function scriptSha(lua: string | Buffer): string {
  return createHash('sha1').update(lua).digest('hex');
}

/** The argv of EVAL-like commands: name, script or SHA, numkeys, keys, args (checked to be arrays). */
export function evalArgv(name: string, body: Arg, keys: readonly Arg[], args: readonly Arg[]): Arg[] {
  if (!Array.isArray(keys)) throw new InvalidArgumentError(`${name}: keys must be an array of keys`);
  if (!Array.isArray(args)) throw new InvalidArgumentError(`${name}: args must be an array of arguments`);
  return [name, body, keys.length, ...keys, ...args];
}

/** `build()`'s argv, or the error it threw (so a method can reject instead of throwing). */
export function argvOrError(build: () => Arg[]): Arg[] | Error {
  try {
    return build();
  } catch (err) {
    return err instanceof Error ? err : new InvalidArgumentError(String(err));
  }
}

/** A Lua script run by its SHA1, made by `client.script(lua)`: call `run(keys, args)` as often as needed. */
export class Script {
  /** SHA1 of the script's text (what EVALSHA sends); '' when `lua` is not a string or Buffer. */
  readonly sha: string;
  /** Runs with EVALSHA_RO / EVAL_RO (see ScriptOptions.readOnly). */
  readonly readOnly: boolean;
  /** Why the script cannot run (lua not text): `run` rejects with it. Never thrown by the constructor. */
  private readonly invalid: InvalidArgumentError | null;

  /** @internal Made by `client.script(lua)`, which passes the client's route as `send`. */
  constructor(
    /** The script's Lua text. */
    readonly lua: string | Buffer,
    private readonly send: ScriptSend,
    options?: ScriptOptions,
  ) {
    const text = typeof lua === 'string' || Buffer.isBuffer(lua);
    this.invalid = text ? null : new InvalidArgumentError('script(lua): lua must be a string or a Buffer');
    this.sha = text ? scriptSha(lua) : '';
    this.readOnly = options?.readOnly === true;
  }

  /**
   * Runs the script on the shard owning `keys` and resolves with its reply (a script error
   * rejects with the server's ReplyError). One EVAL loads it where the server lacks it (header).
   */
  async run(keys: readonly Arg[] = [], args: readonly Arg[] = [], opts?: CallOptions): Promise<RespValue> {
    if (this.invalid !== null) throw this.invalid;
    const byName = evalArgv(this.readOnly ? 'EVALSHA_RO' : 'EVALSHA', this.sha, keys, args);
    try {
      return await this.send(byName, opts);
    } catch (err) {
      if (!(err instanceof ReplyError) || err.prefix !== 'NOSCRIPT') throw err;
      return this.send(evalArgv(this.readOnly ? 'EVAL_RO' : 'EVAL', this.lua, keys, args), opts);
    }
  }
}
