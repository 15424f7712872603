/**
 * Command timeouts, swept by one timer per connection or pool rather than one per command: a
 * command's `deadline` (absolute ms, 0 = none) is checked by `expireQueued` for commands not yet
 * written (removed from their queue) and `expireInFlight` for written ones (rejected but kept in the
 * reply FIFO, so the late reply is matched and dropped). Deadlines grow along a FIFO, so each sweep
 * stops at the first command still in time.
 */

import { CommandTimeoutError } from '../../errors.js';
import type { Command } from './command.js';
import type { Fifo } from './fifo.js';

/** One interval timer (unref'd) calling `sweep` every tenth of the timeout, between 10 and 100 ms. */
export class Sweeper {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly sweep: () => void) {}

  /** Starts sweeping for a timeout of `ms`; nothing when it runs already or `ms` ≤ 0 (timeouts off). */
  start(ms: number): void {
    if (ms <= 0 || this.timer !== null) return;
    this.timer = setInterval(this.sweep, Math.max(10, Math.min(100, Math.floor(ms / 10))));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}

/** Removes the settled and expired commands at the head of `queue`, rejecting the expired ones; `ms` names the timeout of those without their own. */
export function expireQueued(queue: Fifo<Command>, now: number, ms: number): void {
  for (let cmd = queue.peek(); cmd !== undefined && (cmd.settled || (cmd.deadline !== 0 && cmd.deadline <= now)); cmd = queue.peek()) {
    queue.shift();
    cmd.reject(new CommandTimeoutError(cmd.name, cmd.timeoutMs || ms));
  }
}

/** Rejects the expired commands in flight (they stay in the FIFO); returns how many timed out now. */
export function expireInFlight(inflight: Fifo<Command>, now: number, ms: number): number {
  let n = 0;
  for (let i = 0; i < inflight.length; i++) {
    const cmd = inflight.at(i)!;
    if (cmd.deadline === 0 || cmd.deadline > now) break;
    if (!cmd.settled) {
      n++;
      cmd.reject(new CommandTimeoutError(cmd.name, cmd.timeoutMs || ms));
    }
  }
  return n;
}
