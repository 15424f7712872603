/**
 * CONFIG GET/SET/RESETSTAT/REWRITE/HELP over the parameter table in ../config.ts.
 * CONFIG SET of several parameters is atomic: if one fails, the ones already applied are restored.
 */

import { PROTECTED_CONFIGS, allowProtectedAction } from './protected-action.js';
import { aclUsers } from '../acl/users-view.js';
import { rewriteConfigFile } from '../config-rewrite.js';
import type { ConfigApplier } from '../config.js';
import { ClientFlag, type HandlerTable } from '../dispatch/context.js';
import { cString } from '../dispatch/args.js';
import * as R from '../dispatch/replies.js';

const SENSITIVE = new Set(['requirepass', 'masterauth', 'masteruser']);

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
    // Secrets are redacted from MONITOR and SLOWLOG whatever happens next (Redis SENSITIVE_CONFIG).
    for (let i = 2; i < argv.length; i += 2) if (SENSITIVE.has(cfg.canonical(argv[i]!) ?? '')) c.server.dispatcher.redact(i + 1);
    for (let i = 2; i < argv.length; i += 2) {
      const name = cfg.canonical(argv[i]!);
      if (name === undefined) return c.reply.error(`ERR Unknown option or number of arguments for CONFIG SET - '${cString(argv[i]!)}'`);
      if (names.includes(name)) return c.reply.error(`ERR CONFIG SET failed (possibly related to argument '${cString(argv[i]!)}') - duplicate parameter`);
      if (PROTECTED_CONFIGS.has(name) && !allowProtectedAction(c, 'enable-protected-configs')) {
        return c.reply.error(`ERR CONFIG SET failed (possibly related to argument '${cString(argv[i]!)}') - can't set protected config`);
      }
      names.push(name);
    }
    const previous = names.map((n) => cfg.format(n));
    const restore = (upTo: number): void => {
      for (let k = 0; k < upTo; k++) cfg.set(names[k]!, previous[k]!, { startup: true });
    };
    for (let i = 2, j = 0; i < argv.length; i += 2, j++) {
      const err = cfg.set(names[j]!, argv[i + 1]!);
      if (err !== null) {
        restore(j);
        return c.reply.error(`ERR CONFIG SET failed (possibly related to argument '${cString(argv[i]!)}') - ${err}`);
      }
    }
    // A new port or bind address is applied before the reply, as Redis does; binding is
    // asynchronous here, so the client waits (its later commands too) until it is done.
    // New certificates, CAs or TLS options apply to the next TLS connections (Redis applyTlsCfg).
    const tlsAt = names.findIndex((n) => n.startsWith('tls-') && n !== 'tls-port');
    if (tlsAt !== -1) {
      const err = c.server.reloadTls();
      if (err !== null) {
        restore(names.length);
        return c.reply.error(`ERR CONFIG SET failed (possibly related to argument '${argv[2 + tlsAt * 2]}') - ${err}`);
      }
    }
    // Changes that take effect asynchronously (ports: `port`, `bind`, `tls-port`, `metrics-*`),
    // each applier once, in argument order; a failure undoes every change of this call.
    const pending: { fn: ConfigApplier; arg: string }[] = [];
    names.forEach((n, j) => {
      const fn = cfg.applierOf(n);
      if (fn !== undefined && cfg.format(n) !== previous[j] && !pending.some((p) => p.fn === fn)) pending.push({ fn, arg: argv[2 + j * 2]! });
    });
    if (pending.length === 0) return c.reply.ok();
    const applyAll = async (): Promise<string | null> => {
      for (let k = 0; k < pending.length; k++) {
        const err = await pending[k]!.fn();
        if (err === null) continue;
        restore(names.length);
        // Appliers that already succeeded go back to the restored values.
        for (let done = 0; done < k; done++) void pending[done]!.fn();
        return `ERR CONFIG SET failed (possibly related to argument '${cString(pending[k]!.arg)}') - ${err}`;
      }
      return null;
    };
    if (c.flags & ClientFlag.IN_EXEC) {
      // A transaction cannot wait: the change is applied after EXEC, a failure is logged.
      void applyAll().then((err) => {
        if (err !== null) c.server.log.warning(`CONFIG SET after EXEC: ${err}`);
      });
      return c.reply.ok();
    }
    c.flags |= ClientFlag.BLOCKED;
    void applyAll().then((err) => {
      c.flags &= ~ClientFlag.BLOCKED;
      if (err === null) c.reply.ok();
      else c.reply.error(err);
      c.requestFlush();
      c.resume();
    });
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
    try {
      rewriteConfigFile(cfg, cfg.file, false, aclUsers(c.server)?.configLines() ?? []);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      c.server.log.warning(`CONFIG REWRITE failed: ${msg}`);
      return c.reply.error(`ERR Rewriting config file: ${msg}`);
    }
    c.server.log.warning('CONFIG REWRITE executed with success.');
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
