/**
 * CONFIG GET/SET/RESETSTAT/REWRITE/HELP over the parameter table in ../config.ts.
 * CONFIG SET of several parameters is atomic: if one fails, the ones already applied are restored.
 */

import { writeFileSync, renameSync } from 'node:fs';
import type { HandlerTable } from '../dispatch/context.js';
import { cString } from '../dispatch/args.js';
import * as R from '../dispatch/replies.js';

export const CONFIG_HANDLERS: HandlerTable = {
  'config|get'(c, argv) {
    const seen = new Map<string, string>();
    for (let i = 2; i < argv.length; i++) {
      for (const [k, v] of c.server.config.match(argv[i]!)) seen.set(k, v);
    }
    c.reply.map(seen.size);
    for (const [k, v] of seen) {
      c.reply.bulk(k);
      c.reply.bulk(v);
    }
  },

  'config|set'(c, argv) {
    if (argv.length % 2 !== 0) return c.reply.error(R.SYNTAX);
    const cfg = c.server.config;
    const names: string[] = [];
    for (let i = 2; i < argv.length; i += 2) {
      const name = cfg.canonical(argv[i]!);
      if (name === undefined) return c.reply.error(`ERR Unknown option or number of arguments for CONFIG SET - '${cString(argv[i]!)}'`);
      if (names.includes(name)) return c.reply.error(`ERR CONFIG SET failed (possibly related to argument '${cString(argv[i]!)}') - duplicate parameter`);
      names.push(name);
    }
    const previous = names.map((n) => cfg.format(n));
    for (let i = 2, j = 0; i < argv.length; i += 2, j++) {
      const err = cfg.set(names[j]!, argv[i + 1]!);
      if (err !== null) {
        for (let k = 0; k < j; k++) cfg.set(names[k]!, previous[k]!, { startup: true });
        return c.reply.error(`ERR CONFIG SET failed (possibly related to argument '${cString(argv[i]!)}') - ${err}`);
      }
    }
    c.reply.ok();
  },

  'config|resetstat'(c) {
    const s = c.server.stats;
    s.totalCommands = 0;
    s.totalConnections = 0;
    s.rejectedConnections = 0;
    s.netInputBytes = 0;
    s.netOutputBytes = 0;
    s.totalErrorReplies = 0;
    s.errors.clear();
    const ks = c.server.keyspace.stats;
    ks.keyspaceHits = 0;
    ks.keyspaceMisses = 0;
    ks.expiredKeys = 0;
    ks.evictedKeys = 0;
    c.server.dispatcher.resetStats();
    c.reply.ok();
  },

  'config|rewrite'(c) {
    const cfg = c.server.config;
    if (cfg.file === null) return c.reply.error('ERR The server is running without a config file');
    const lines = cfg.match('*').map(([k, v]) => `${k} ${v === '' ? '""' : /\s/.test(v) ? `"${v}"` : v}`);
    try {
      const tmp = `${cfg.file}.tmp-${process.pid}`;
      writeFileSync(tmp, `# Rewritten by ringcache-server CONFIG REWRITE\n${lines.join('\n')}\n`);
      renameSync(tmp, cfg.file);
    } catch (err) {
      return c.reply.error(`ERR Rewriting config file: ${err instanceof Error ? err.message : String(err)}`);
    }
    c.reply.ok();
  },

  'config|help'(c) {
    const lines = [
      'CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
      'GET <pattern>',
      '    Return parameters matching the glob-like <pattern> and their values.',
      'SET <directive> <value>',
      '    Set the configuration <directive> to <value>.',
      'RESETSTAT',
      '    Reset statistics reported by the INFO command.',
      'REWRITE',
      '    Rewrite the configuration file.',
      'HELP',
      '    Print this help.',
    ];
    c.reply.statusArray(lines);
  },
};
