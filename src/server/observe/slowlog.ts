/**
 * SLOWLOG (Redis slowlog.c): the commands whose execution took at least
 * `slowlog-log-slower-than` µs (-1: none; 0: every command), newest first, at most
 * `slowlog-max-len` entries. An entry keeps the arguments as MONITOR shows them (redacted
 * ones as `(redacted)`), trimmed as Redis trims them: at most 32 arguments (the last one then
 * says how many more there were) and 128 bytes per argument (followed by how many more bytes).
 * Commands flagged skip_slowlog (EXEC…) are not logged; EXEC's commands are, one by one.
 */

import { Flag } from '../../commands/flags.js';
import type { CommandSpec } from '../../commands/spec.js';
import type { ClientContext } from '../dispatch/context.js';

const MAX_ARGC = 32;
const MAX_STRING = 128;

export interface SlowlogEntry {
  readonly id: number;
  /** Unix time (s) when logged. */
  readonly time: number;
  readonly usec: number;
  readonly argv: readonly string[];
  readonly peer: string;
  readonly name: string;
}

function trimmed(argv: readonly string[]): string[] {
  const argc = Math.min(argv.length, MAX_ARGC);
  const out: string[] = [];
  for (let j = 0; j < argc; j++) {
    if (argc !== argv.length && j === argc - 1) {
      out.push(`... (${argv.length - argc + 1} more arguments)`);
      break;
    }
    const a = argv[j]!;
    out.push(a.length > MAX_STRING ? `${a.slice(0, MAX_STRING)}... (${a.length - MAX_STRING} more bytes)` : a);
  }
  return out;
}

export class SlowLog {
  /** Newest first. */
  entries: SlowlogEntry[] = [];
  private nextId = 0;
  /** `slowlog-log-slower-than` (µs), -1 when disabled. */
  slowerThan = 10000;
  maxLen = 128;

  push(c: ClientContext, spec: CommandSpec, argv: readonly string[], usec: number): void {
    if (this.slowerThan < 0 || usec < this.slowerThan || spec.flags & Flag.SKIP_SLOWLOG) return;
    const entry: SlowlogEntry = {
      id: this.nextId++,
      time: Math.floor(Date.now() / 1000),
      usec: Math.floor(usec),
      argv: trimmed(argv),
      peer: c.addr,
      name: c.name,
    };
    this.entries.unshift(entry);
    this.trim();
  }

  trim(): void {
    if (this.entries.length > this.maxLen) this.entries.length = this.maxLen;
  }
}
