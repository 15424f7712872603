/**
 * The server log, in Redis's line format: `pid:R dd Mon yyyy hh:mm:ss.mmm <level> message`, where R
 * is the role (M master, S replica, X sentinel) and level is `.` debug, `-` verbose, `*` notice,
 * `#` warning. Lines go to `logfile` (appended) or stdout when it is empty.
 */

import { appendFileSync } from 'node:fs';

export type LogLevel = 'debug' | 'verbose' | 'notice' | 'warning' | 'nothing';

const LEVEL_RANK: Record<LogLevel, number> = { debug: 0, verbose: 1, notice: 2, warning: 3, nothing: 4 };
const LEVEL_CHAR: Record<LogLevel, string> = { debug: '.', verbose: '-', notice: '*', warning: '#', nothing: ' ' };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/**
 * stdout can go away (a closed pipe: the process that started us exited). Redis ignores SIGPIPE and
 * loses those lines; so do we — logging must never throw, or an error handler that logs loops.
 */
let stdoutBroken = false;
let stdoutWatched = false;

function writeStdout(line: string): void {
  if (stdoutBroken) return;
  if (!stdoutWatched) {
    stdoutWatched = true;
    process.stdout.on('error', () => {
      stdoutBroken = true;
    });
  }
  try {
    process.stdout.write(line);
  } catch {
    stdoutBroken = true;
  }
}

export class Logger {
  level: LogLevel = 'notice';
  file = '';
  role: 'M' | 'S' | 'X' = 'M';
  /** Test hook: when set, lines are handed here instead of being written. */
  sink: ((line: string) => void) | null = null;

  log(level: LogLevel, message: string): void {
    if (LEVEL_RANK[level] < LEVEL_RANK[this.level] || level === 'nothing') return;
    const d = new Date();
    const line =
      `${process.pid}:${this.role} ${pad(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ` +
      `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)} ` +
      `${LEVEL_CHAR[level]} ${message}\n`;
    if (this.sink !== null) this.sink(line);
    else if (this.file === '') writeStdout(line);
    else {
      try {
        appendFileSync(this.file, line);
      } catch {
        writeStdout(line);
      }
    }
  }

  debug(m: string): void {
    this.log('debug', m);
  }
  verbose(m: string): void {
    this.log('verbose', m);
  }
  notice(m: string): void {
    this.log('notice', m);
  }
  warning(m: string): void {
    this.log('warning', m);
  }
}
