/**
 * The commands the client can route: the built-in table first, then what it learned from the
 * servers. A name the table lacks (a newer server's command, a module's) is looked up on first use
 * with COMMAND INFO on every shard on the ring, in parallel (once per shard); the first answer
 * that knows it defines it (commands/command-info.ts: arity, flags, key specs, tips, subcommands)
 * and it is kept for the client's life, resolving synchronously like a table entry from then on.
 * A name no shard knows is remembered as unknown for UNKNOWN_TTL_MS: the route sends it to one
 * shard, which answers with its own error (so a module loaded later is found within a second).
 * For an entry whose keys only the server can find (`keysFromServer`), each argv's keys are asked
 * with COMMAND GETKEYS (of the shard that taught the command) before the argv is routed.
 *
 * Invariants: `resolve` never does I/O and, for a table command, costs what the table lookup
 * costs (learned entries and `fromServer` overrides are consulted only when the table has no
 * entry, or overrides exist). One COMMAND INFO round per name at a time (single-flight); a failed
 * round (no shard answered) is not remembered.
 */

import { specFromCommandInfo } from '../../commands/command-info.js';
import { lookupCommand, lookupSubcommand } from '../../commands/registry.js';
import { LEARNED_COMMAND_ID, type CommandSpec } from '../../commands/spec.js';
import { ReplyError, UnknownCommandError } from '../../errors.js';
import type { RespValue } from '../../protocol/resp-types.js';
import type { CommandsConfig } from '../resolve-options.js';
import { Command, type Arg } from '../transport/command.js';
import { keysOf, rememberServerKeys } from './command-keys.js';
import type { ShardMap } from './shard-map.js';
import type { Shard } from './shard.js';

/** How long a name no server knew stays unknown before the servers are asked again. */
export const UNKNOWN_TTL_MS = 1000;

/** Per argv that could not be prepared, why (the pipeline settles it with this error). */
export type PrepareErrors = Map<readonly Arg[], Error>;

/** A command no server knows: no keys, no flags; sent as it is so the server answers its own error. */
function unknownSpec(name: string): CommandSpec {
  return {
    id: LEARNED_COMMAND_ID,
    name,
    fullName: name,
    arity: -1,
    flags: 0,
    flagNames: [],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    keySpecs: [],
    tips: [],
    group: 'server',
    acl: null,
    since: '',
    summary: '',
    cacheable: false,
    subcommands: null,
    parent: null,
  };
}

function bytesOf(a: Arg | RespValue): Buffer {
  return Buffer.isBuffer(a) ? a : Buffer.from(String(a), 'utf8');
}

/** Argument indexes of the keys COMMAND GETKEYS returned (each key matched to its first unused argument). */
function positionsOf(argv: readonly Arg[], keys: RespValue): number[] {
  const used = new Set<number>();
  const out: number[] = [];
  for (const k of Array.isArray(keys) ? keys : []) {
    const want = bytesOf(k);
    for (let i = 1; i < argv.length; i++) {
      if (used.has(i) || !bytesOf(argv[i]!).equals(want)) continue;
      used.add(i);
      out.push(i);
      break;
    }
  }
  return out;
}

export class CommandCatalog {
  private readonly learned = new Map<string, CommandSpec>();
  /** The shard whose COMMAND INFO defined a learned command (asked for its GETKEYS). */
  private readonly teachers = new Map<string, string>();
  private readonly unknown = new Map<string, { spec: CommandSpec; until: number }>();
  private readonly learning = new Map<string, Promise<void>>();
  private readonly fromServer: ReadonlySet<string> | null;

  constructor(
    private readonly shards: ShardMap,
    private readonly config: CommandsConfig,
  ) {
    this.fromServer = config.fromServer.length > 0 ? new Set(config.fromServer) : null;
  }

  /**
   * The entry of argv (a subcommand's own when it has one): the table's, a learned one, or
   * undefined when the servers must be asked first (`prepare`). Throws UnknownCommandError for a
   * name the table lacks when learning is off.
   */
  resolve(argv: readonly Arg[]): CommandSpec | undefined {
    const name = String(argv[0]);
    let top = this.fromServer === null ? lookupCommand(name) : this.builtIn(name);
    if (top === undefined) {
      top = this.learnedTop(name);
      if (top === undefined) return undefined;
    }
    if (top.subcommands !== null && argv.length > 1) return lookupSubcommand(top, String(argv[1])) ?? top;
    return top;
  }

  /** A learned entry (not the table's, not a command no server knows). */
  isLearned(spec: CommandSpec): boolean {
    return spec.keysFromServer !== undefined;
  }

  /**
   * Learns every unknown name among `argvs` and asks the server for the keys of those that need
   * it, all in parallel. Null when there is nothing to do (every argv routes synchronously);
   * otherwise resolves, once done, with the argvs that could not be prepared and why.
   */
  prepare(argvs: readonly (readonly Arg[])[]): Promise<PrepareErrors> | null {
    let todo = false;
    for (const argv of argvs) {
      let spec: CommandSpec | undefined;
      try {
        spec = this.resolve(argv);
      } catch {
        continue; // learning is off: routing the argv reports it
      }
      if (spec === undefined || (spec.keysFromServer === true && keysOf(spec, argv) === null)) {
        todo = true;
        break;
      }
    }
    return todo ? this.prepareAll(argvs) : null;
  }

  private async prepareAll(argvs: readonly (readonly Arg[])[]): Promise<PrepareErrors> {
    const errors: PrepareErrors = new Map();
    const names = new Map<string, Promise<unknown>>();
    for (const argv of argvs) {
      const name = String(argv[0]).toLowerCase();
      if (!names.has(name) && this.safeResolve(argv) === undefined) names.set(name, this.learn(name).then(() => null, (e: unknown) => e));
    }
    const failed = new Map<string, unknown>();
    for (const [name, p] of names) {
      const e = await p;
      if (e !== null) failed.set(name, e);
    }
    const keyed: Promise<void>[] = [];
    for (const argv of argvs) {
      const e = failed.get(String(argv[0]).toLowerCase());
      if (e !== undefined) {
        errors.set(argv, e instanceof Error ? e : new UnknownCommandError(String(argv[0])));
        continue;
      }
      const spec = this.safeResolve(argv);
      if (spec?.keysFromServer === true && keysOf(spec, argv) === null) {
        keyed.push(this.serverKeys(spec, argv).catch((err: unknown) => void errors.set(argv, err instanceof Error ? err : new ReplyError(String(err)))));
      }
    }
    await Promise.all(keyed);
    return errors;
  }

  private safeResolve(argv: readonly Arg[]): CommandSpec | undefined {
    try {
      return this.resolve(argv);
    } catch {
      return undefined;
    }
  }

  private builtIn(name: string): CommandSpec | undefined {
    return this.fromServer!.has(name.toLowerCase()) ? undefined : lookupCommand(name);
  }

  private learnedTop(name: string): CommandSpec | undefined {
    const lower = name.toLowerCase();
    const spec = this.learned.get(lower);
    if (spec !== undefined) return spec;
    const u = this.unknown.get(lower);
    if (u !== undefined) {
      if (u.until > Date.now()) return u.spec;
      this.unknown.delete(lower);
    }
    if (!this.config.learn) throw new UnknownCommandError(name);
    return undefined;
  }

  /** One COMMAND INFO round for `lower` on every shard on the ring (single-flight). */
  private learn(lower: string): Promise<void> {
    let p = this.learning.get(lower);
    if (p === undefined) {
      p = this.ask(lower).finally(() => this.learning.delete(lower));
      this.learning.set(lower, p);
    }
    return p;
  }

  /**
   * Resolves at the first shard that knows the command; when none does, remembers it as unknown
   * (if at least one answered) or rejects with the first failure (none answered).
   */
  private ask(lower: string): Promise<void> {
    const shards = this.shards.onRing();
    return new Promise<void>((resolve, reject) => {
      let pending = shards.length;
      let answered = false;
      let done = false;
      let failure: unknown = null;
      const last = (): void => {
        if (--pending > 0 || done) return;
        done = true;
        if (answered) {
          this.unknown.set(lower, { spec: unknownSpec(lower), until: Date.now() + UNKNOWN_TTL_MS });
          resolve();
        } else if (failure instanceof ReplyError) reject(new UnknownCommandError(lower, `COMMAND INFO failed: ${failure.message}`));
        else reject(failure instanceof Error ? failure : new UnknownCommandError(lower));
      };
      for (const shard of shards) {
        this.query(shard, ['COMMAND', 'INFO', lower], false).then(
          (reply) => {
            const spec = specFromCommandInfo(Array.isArray(reply) ? reply[0] : null);
            if (spec === null) answered = true;
            else if (!done) {
              done = true;
              this.learned.set(lower, spec);
              this.teachers.set(lower, shard.name);
              resolve();
            }
            last();
          },
          (err: unknown) => {
            failure ??= err;
            last();
          },
        );
      }
      if (shards.length === 0) last();
    });
  }

  /** COMMAND GETKEYS for one argv; a command the server finds no key in is keyless. */
  private async serverKeys(spec: CommandSpec, argv: readonly Arg[]): Promise<void> {
    const top = spec.parent ?? spec;
    const shard = this.shards.shard(this.teachers.get(top.name) ?? '') ?? this.shards.onRing()[0]!;
    try {
      rememberServerKeys(argv, positionsOf(argv, await this.query(shard, ['COMMAND', 'GETKEYS', ...argv], true)));
    } catch (err) {
      if (!(err instanceof ReplyError) || !/no key arguments/i.test(err.message)) throw err;
      rememberServerKeys(argv, []);
    }
  }

  private query(shard: Shard, argv: readonly Arg[], buffers: boolean): Promise<RespValue> {
    const cmd = new Command(argv, buffers, true);
    shard.master.send(cmd);
    return cmd.promise;
  }
}
