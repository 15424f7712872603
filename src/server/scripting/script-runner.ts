/**
 * Runs scripts to completion, one at a time, and keeps the node responsive when one runs long
 * (Redis's scriptInterrupt / processEventsWhileBlocked).
 *
 * Design: the script runs synchronously on the node's thread, so a short script costs nothing
 * extra and the dataset needs no locking. The VM's count hook compares the clock with a deadline:
 * once a script has run for busy-reply-threshold ms it is suspended (a coroutine yield) and from
 * then on runs in slices of SLICE_MS, each scheduled with setImmediate, so between two slices the
 * event loop reads other clients' commands. While suspended, `keyspace.busy` holds the BUSY text:
 * the dispatcher answers it to every command without `allow_busy` (SCRIPT KILL, FUNCTION KILL,
 * SHUTDOWN NOSAVE, … still run), and the cron, eviction, background saves and the replication
 * stream wait, so nothing but the script changes the dataset until it ends. The caller is marked
 * BLOCKED so its own pipelined commands wait behind the script, as in Redis.
 *
 * A worker thread was rejected: redis.call must touch the dataset synchronously, so every call
 * would cross threads (tens of µs each, against ~1 µs here) and the node would still have to hold
 * every other client during the script.
 */

import { ClientFlag, type ClientContext, type ServerContext } from '../dispatch/context.js';
import type { InternalClient } from '../dispatch/internal-client.js';
import { ScriptRun, type ScriptCall } from './script-run.js';

export const BUSY_EVAL = 'BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.';
export const BUSY_FUNCTION = 'BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.';
/** Length of one slice of a suspended script before the event loop gets a turn. */
const SLICE_MS = 20;

export interface RunningScript {
  readonly name: string;
  readonly argv: readonly string[];
  readonly durationMs: number;
  readonly isEval: boolean;
}

export class ScriptRunner {
  private current: ScriptRun | null = null;
  private stopped = false;
  /** DEBUG set-disable-deny-scripts. */
  allowNoscript = false;
  private readonly slice = (): void => this.runSlice();

  constructor(
    private readonly server: ServerContext,
    private readonly client: InternalClient,
  ) {}

  get running(): RunningScript | null {
    const run = this.current;
    if (run === null) return null;
    const c = run.call;
    return { name: c.funcname, argv: c.argv, durationMs: Math.floor(performance.now() - run.startedAt), isEval: c.isEval };
  }

  /** Runs a script for its caller: the reply is written now, or when a suspended script ends. */
  run(call: ScriptCall): void {
    if (this.current !== null || this.stopped) {
      call.caller.reply.error(this.current !== null ? BUSY_EVAL : 'ERR server is shutting down');
      return;
    }
    // Inside EXEC the script is never suspended: EXEC would go on with the next queued command.
    const inExec = (call.caller.flags & ClientFlag.IN_EXEC) !== 0;
    const run = new ScriptRun(this.server, this.client, call, this.allowNoscript);
    const engine = call.engine;
    this.current = run;
    engine.bridge = run;
    run.begin();
    const threshold = this.server.config.int('busy-reply-threshold');
    engine.yieldAt = threshold > 0 && !inExec ? run.startedAt + threshold : Infinity;
    // The EVAL/FCALL itself is never propagated: its effects are (script-run.ts).
    call.caller.propagateAs = [];
    let done: boolean;
    try {
      done = engine.start(call.fnRef, call.argv, 3, call.numkeys);
    } catch (err) {
      this.drop(run);
      throw err;
    }
    if (done) this.complete(run, true);
    else this.suspend(run);
  }

  private suspend(run: ScriptRun): void {
    const c = run.call;
    this.server.keyspace.busy = c.isEval ? BUSY_EVAL : BUSY_FUNCTION;
    this.server.log.warning(
      `Slow script detected: still in execution after ${Math.floor(performance.now() - run.startedAt)} milliseconds. ` +
        `You can try killing the script using the ${c.isEval ? 'SCRIPT KILL' : 'FUNCTION KILL'} command. Script name is: ${c.funcname}.`,
    );
    c.caller.flags |= ClientFlag.BLOCKED;
    setImmediate(this.slice);
  }

  private runSlice(): void {
    const run = this.current;
    if (run === null || this.stopped) return;
    const engine = run.call.engine;
    engine.yieldAt = performance.now() + SLICE_MS;
    let done = false;
    try {
      this.server.dispatcher.runAs(run.call.caller, () => {
        this.server.keyspace.now = run.now;
        done = engine.resume();
      });
    } catch (err) {
      this.server.log.warning(`Script aborted by an internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      run.call.caller.reply.error('ERR internal error while running the script');
      this.drop(run);
      this.release(run.call.caller);
      return;
    }
    if (done) this.complete(run, false);
    else setImmediate(this.slice);
  }

  private complete(run: ScriptRun, sync: boolean): void {
    const c = run.call;
    c.engine.finish(c.caller.reply, c.funcname, run.resp);
    c.engine.bridge = null;
    this.current = null;
    run.end(false);
    if (sync) return;
    this.server.keyspace.busy = null;
    this.release(c.caller);
    const hooks = this.server.dispatcher.hooks;
    // The work call() does after a command, now that the script's command really ended.
    this.server.dispatcher.runAs(c.caller, () => hooks.afterCommand?.(c.caller, c.spec, c.argv as string[]));
  }

  private release(caller: ClientContext): void {
    this.server.keyspace.busy = null;
    caller.flags &= ~ClientFlag.BLOCKED;
    caller.requestFlush();
    caller.resume();
  }

  /** Abandons the running script: its effects so far stay in memory and are not propagated. */
  private drop(run: ScriptRun): void {
    run.call.engine.abandon();
    this.current = null;
    run.end(true);
  }

  /** SCRIPT KILL (isEval) / FUNCTION KILL, with Redis's refusals. */
  kill(c: ClientContext, isEval: boolean): void {
    const run = this.current;
    if (run === null) return c.reply.error('NOTBUSY No scripts in execution right now.');
    if (run.call.caller.flags & ClientFlag.MASTER) {
      return c.reply.error('UNKILLABLE The busy script was sent by a master instance in the context of replication and cannot be killed.');
    }
    if (run.writeDirty) {
      return c.reply.error(
        'UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.',
      );
    }
    if (isEval && !run.call.isEval) return c.reply.error(BUSY_FUNCTION);
    if (!isEval && run.call.isEval) return c.reply.error(BUSY_EVAL);
    run.call.engine.killed = true;
    this.server.log.warning('Lua script killed by user with SCRIPT KILL.');
    c.reply.ok();
  }

  /** Server shutdown: a suspended script is dropped without reply (SHUTDOWN NOSAVE's way out). */
  stop(): void {
    this.stopped = true;
    const run = this.current;
    if (run === null) return;
    this.drop(run);
    this.server.keyspace.busy = null;
  }
}
