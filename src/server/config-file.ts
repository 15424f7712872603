/**
 * redis.conf loading, as Redis 7.0's loadServerConfigFromString: one directive per line, `#`
 * comments, quoted arguments; the command line's `--name value …` options come after the file as
 * more lines. Besides the parameters of config.ts:
 *
 * - `include <path|glob>` reads another file in place (a glob matching nothing is skipped; a
 *   missing plain path is fatal), relative paths from the working directory, as Redis;
 * - `rename-command <name> <new-name|"">` renames or removes a command (applied by the
 *   dispatcher at start);
 * - `user <name> rules…` is checked as Redis ACLAppendUserForLoading does and kept in
 *   `config.users` (the ACL feature creates the users);
 * - `loadmodule`, module parameters (`name.option`) and `sentinel` directives are refused, the
 *   first two because no module can be loaded;
 * - in Sentinel mode, `sentinel …` directives are collected for server/sentinel/ to apply;
 * - a parameter the node accepts without acting on it (config.ts `inert`) gives a warning.
 *
 * Errors throw ConfigError naming the file, line and text, with Redis's reason; the node must not
 * start then.
 */

import { appendFileSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ConfigError } from '../errors.js';
import { splitInlineArgs } from '../protocol/inline-args.js';
import type { ServerConfig } from './config.js';
import { globMatch } from './util/glob.js';
import { checkUserDirective } from './acl/acl-file.js';

/** What loading produced besides parameter values. */
export interface LoadedConfig {
  /** rename-command pairs in order ("" = removed). */
  readonly renames: [string, string][];
  /** Start-up warnings (directives the node does not act on), one per directive. */
  readonly warnings: string[];
  /** Sentinel mode: the arguments of every `sentinel …` directive, in order (server/sentinel/). */
  readonly sentinel: string[][];
}

/** How deep includes may nest (a file including itself stops here). */
const MAX_INCLUDE_DEPTH = 16;

/** Files an `include` names: the path itself, or the files matching a glob in its directory. */
function includedFiles(path: string): string[] {
  if (!/[*?[]/.test(path)) return [path];
  const dir = dirname(path);
  const pattern = basename(path);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries
    .filter((e) => globMatch(pattern, e))
    .sort()
    .map((e) => join(dir, e));
}

function readConfig(path: string, source: string): string {
  try {
    return readFileSync(path, 'latin1');
  } catch (err) {
    throw new ConfigError(`${source}Fatal error, can't open config file '${path}': ${(err as NodeJS.ErrnoException).message}`);
  }
}

class Loader {
  readonly out: LoadedConfig = { renames: [], warnings: [], sentinel: [] };
  private readonly warned = new Set<string>();

  constructor(
    private readonly config: ServerConfig,
    private readonly sentinelMode: boolean,
  ) {}

  text(text: string, source: string, depth: number): void {
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.trim();
      if (line === '' || line.startsWith('#')) continue;
      const where = `${source}:${i + 1}: '${line}': `;
      const argv = splitInlineArgs(line);
      if (argv === null) throw new ConfigError(`${where}Unbalanced quotes in configuration line`);
      if (argv.length === 0) continue;
      const err = this.directive(argv[0]!.toLowerCase(), argv.slice(1), source, depth);
      if (err !== null) throw new ConfigError(where + err);
    }
  }

  private warn(name: string, text: string): void {
    if (this.warned.has(name)) return;
    this.warned.add(name);
    this.out.warnings.push(text);
  }

  /** Applies one directive; returns Redis's error text, or null. */
  private directive(name: string, args: string[], source: string, depth: number): string | null {
    const info = this.config.info(name);
    if (info !== undefined) {
      if (!info.multi && args.length !== 1) return 'wrong number of arguments';
      const err = this.config.set(name, args.join(' '), { startup: true });
      if (err !== null) return err;
      if (info.inert) this.warn(info.name, `Directive '${name}' is accepted for compatibility but has no effect in ringcache-server`);
      return null;
    }
    switch (name) {
      case 'include':
        if (args.length !== 1) return 'Bad directive or wrong number of arguments';
        if (depth >= MAX_INCLUDE_DEPTH) return `include nested more than ${MAX_INCLUDE_DEPTH} levels deep`;
        for (const file of includedFiles(args[0]!)) this.text(readConfig(file, `${source}: `), file, depth + 1);
        return null;
      case 'rename-command':
        if (args.length !== 2) return 'Bad directive or wrong number of arguments';
        this.out.renames.push([args[0]!, args[1]!]);
        return null;
      case 'user': {
        if (args.length < 1) return 'Bad directive or wrong number of arguments';
        const err = checkUserDirective(args, new Set(this.config.users.map((u) => u[0]!)));
        if (err !== null) return err;
        this.config.users.push(args);
        return null;
      }
      case 'loadmodule':
        return `Module ${args[0] ?? ''} failed to load: ringcache-server does not load Redis modules`;
      case 'sentinel':
        if (!this.sentinelMode) return 'sentinel directive while not in sentinel mode';
        this.out.sentinel.push(args);
        return null;
      case 'list-max-ziplist-entries':
      case 'list-max-ziplist-value':
      case 'lua-replicate-commands':
        // Deprecated in Redis 7.0 and accepted without effect there too.
        this.warn(name, `Directive '${name}' is deprecated and has no effect`);
        return null;
      default:
        if (name.includes('.')) return `Module configuration '${name}' without a loaded module`;
        return 'Bad directive or wrong number of arguments';
    }
  }
}

/**
 * Loads the config file (if any), then the command-line options (redis.conf text, applied after
 * it). Throws ConfigError on any bad directive.
 */
export function loadConfig(config: ServerConfig, file: string | null, options: string, sentinelMode = false): LoadedConfig {
  const loader = new Loader(config, sentinelMode);
  if (file !== null) loader.text(readConfig(file, ''), file, 0);
  if (options !== '') loader.text(options, 'command line', 0);
  const logfile = config.str('logfile');
  if (logfile !== '') {
    try {
      appendFileSync(logfile, '');
    } catch (err) {
      throw new ConfigError(`Can't open the log file: ${(err as Error).message}`);
    }
  }
  return loader.out;
}
