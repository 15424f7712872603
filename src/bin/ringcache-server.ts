#!/usr/bin/env node
/**
 * `ringcache-server [config-file] [--name value …]`: redis-server's command line. Each `--name`
 * starts a directive whose value is every following word up to the next `--` (so
 * `--replicaof 127.0.0.1 7001` and `--replicaof "127.0.0.1 7001"` are the same). SIGTERM/SIGINT shut
 * down cleanly (persistence hooks run); exit code 1 on a bad configuration, as redis-server.
 * With maxmemory set, V8's heap is tuned for a small garbage slack (server/util/heap-tuning.ts).
 */

import { RingcacheError } from '../errors.js';
import { RINGCACHE_VERSION, SERVER_VERSION, createServer } from '../server/server.js';
import { tuneHeapForMaxmemory } from '../server/util/heap-tuning.js';
import { reprString } from '../server/util/repr.js';
import { splitInlineArgs } from '../protocol/inline-args.js';
import { daemonize } from './daemonize.js';
import { createSentinel } from '../server/sentinel/sentinel-mode.js';

function usage(): void {
  process.stdout.write(
    'Usage: ringcache-server [/path/to/redis.conf] [options]\n' +
      '       ringcache-server -v or --version\n' +
      '       ringcache-server -h or --help\n' +
      '       ringcache-server /path/to/sentinel.conf --sentinel\n\n' +
      'Examples:\n' +
      '       ringcache-server --port 7000 --maxmemory 100mb --maxmemory-policy allkeys-lru\n' +
      '       ringcache-server /etc/ringcache.conf --replicaof 127.0.0.1 7001\n',
  );
}

/**
 * redis-server's command line (Redis 7.0 main()): an optional config file first, then
 * `--name value …` options turned into redis.conf lines applied after the file. A value may be
 * several words, or the name and value one word (`"--maxmemory 700mb"`); a word starting with
 * `--` right after a bare option name is its value (`--port --bla`); `--save` with nothing after
 * it (or before another option) means `save ""`.
 */
export function parseArgs(args: readonly string[]): { file: string | undefined; options: string } {
  let file: string | undefined;
  let i = 0;
  if (args[0] !== undefined && !args[0].startsWith('--')) {
    file = args[0];
    i = 1;
  }
  const lines: string[] = [];
  let valueTaken = true;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (valueTaken && a.startsWith('--')) {
      lines.push(`${a.slice(2)} `);
      const words = splitInlineArgs(a) ?? [a];
      if (words.length === 1) {
        valueTaken = false;
        const isSave = a.toLowerCase() === '--save';
        if (isSave && (i === args.length - 1 || args[i + 1]!.startsWith('--'))) {
          lines[lines.length - 1] += '""';
          valueTaken = true;
        }
      }
    } else if (lines.length > 0) {
      lines[lines.length - 1] += `${reprString(a)} `;
      valueTaken = true;
    }
  }
  return { file, options: lines.join('\n') };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '-v' || args[0] === '--version') {
    process.stdout.write(`ringcache-server v=${RINGCACHE_VERSION} redis_compat=${SERVER_VERSION}\n`);
    return;
  }
  if (args[0] === '-h' || args[0] === '--help') {
    usage();
    return;
  }
  // `--sentinel` anywhere (as redis-server): Sentinel mode, server/sentinel/.
  const sentinel = args.includes('--sentinel');
  const { file, options } = parseArgs(args.filter((a) => a !== '--sentinel'));
  const server = (() => {
    try {
      const o = { ...(file !== undefined ? { configFile: file } : {}), options };
      return sentinel ? createSentinel(o) : createServer(o);
    } catch (err) {
      const msg = err instanceof RingcacheError ? err.message : String(err);
      process.stderr.write(`\n*** FATAL CONFIG FILE ERROR ***\n${msg}\n`);
      process.exit(1);
    }
  })();
  // `daemonize yes`: the node continues in a detached copy of this process; this one exits.
  if (daemonize(server)) process.exit(0);
  // This process is the node's own: keep V8's garbage slack small once memory is bounded.
  server.config.watch('maxmemory', (v) => {
    if (Number(v) > 0) tuneHeapForMaxmemory();
  });
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.on(sig, () => {
      if (server.signal(sig)) process.exit(1);
    });
  }
  process.on('uncaughtException', (err) => {
    server.log.warning(`Uncaught exception (connection kept serving): ${err.stack ?? String(err)}`);
  });
  try {
    await server.listen();
  } catch (err) {
    if (err instanceof RingcacheError && err.code === 'ERR_PERSISTENCE') {
      server.log.warning(`Fatal error loading the DB: ${err.message}. Exiting.`);
    } else {
      server.log.warning(`Could not create server TCP listening socket: ${String(err)}`);
    }
    process.exit(1);
  }
  await server.closed;
  process.exit(0);
}

void main();
