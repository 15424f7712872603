/**
 * FCALL, FCALL_RO and FUNCTION LOAD/DELETE/FLUSH/LIST/DUMP/RESTORE/STATS/KILL/HELP (Redis
 * functions.c), with Redis's argument checks and error texts. Library changes bump `dirty`, so
 * FUNCTION LOAD/DELETE/FLUSH/RESTORE are propagated as they are (replicas and the AOF load the
 * same libraries).
 */

import { ClientFlag, type ClientContext, type HandlerTable } from '../dispatch/context.js';
import { cString, keyword } from '../dispatch/args.js';
import { globMatch } from '../util/glob.js';
import { dumpFunctions, readFunctions, verifyPayload } from './function-dump.js';
import { LOAD_TIMEOUT_MS, type Library } from './function-libraries.js';
import { parseNumkeys } from './eval-commands.js';
import { SCRIPT_FLAG_NAMES } from './script-flags.js';
import { BUSY_EVAL } from './script-runner.js';
import { scripting } from './scripting-state.js';

/** Redis's addReplySubcommandSyntaxError. */
function subcommandSyntax(argv: readonly string[]): string {
  return `ERR unknown subcommand or wrong number of arguments for '${argv[1]!.slice(0, 128)}'. Try ${argv[0]!.toUpperCase()} HELP.`;
}

function fcall(c: ClientContext, argv: string[], ro: boolean): void {
  const st = scripting(c.server);
  const fn = st.libraries.find(argv[1]!);
  if (fn === undefined) return c.reply.error('ERR Function not found');
  const numkeys = parseNumkeys(c, argv, 'ERR Bad number of keys provided');
  if (numkeys === null) return;
  st.startScript(c, st.fnEngine!, fn.slot, fn.name, numkeys, false, fn.flags, ro);
}

function writeLibrary(c: ClientContext, lib: Library, withCode: boolean): void {
  const w = c.reply;
  w.map(withCode ? 4 : 3);
  w.bulk('library_name');
  w.bulk(lib.name);
  w.bulk('engine');
  w.bulk(lib.engine);
  w.bulk('functions');
  w.array(lib.functions.length);
  for (const fn of lib.functions) {
    w.map(3);
    w.bulk('name');
    w.bulk(fn.name);
    w.bulk('description');
    w.bulkOrNull(fn.description);
    w.bulk('flags');
    const names = SCRIPT_FLAG_NAMES.filter(([, bit]) => (fn.flags & bit) !== 0);
    w.set(names.length);
    for (const [name] of names) w.simple(name);
  }
  if (withCode) {
    w.bulk('library_code');
    w.bulk(lib.code);
  }
}

const FUNCTION_HELP = [
  'FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'LOAD [REPLACE] <FUNCTION CODE>',
  '    Create a new library with the given library name and code.',
  'DELETE <LIBRARY NAME>',
  '    Delete the given library.',
  'LIST [LIBRARYNAME PATTERN] [WITHCODE]',
  '    Return general information on all the libraries:',
  '    * Library name',
  '    * The engine used to run the Library',
  '    * Library description',
  '    * Functions list',
  '    * Library code (if WITHCODE is given)',
  '    It also possible to get only function that matches a pattern using LIBRARYNAME argument.',
  'STATS',
  '    Return information about the current function running:',
  '    * Function name',
  '    * Command used to run the function',
  '    * Duration in MS that the function is running',
  '    If no function is running, return nil',
  '    In addition, returns a list of available engines.',
  'KILL',
  '    Kill the current running function.',
  'FLUSH [ASYNC|SYNC]',
  '    Delete all the libraries.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the libraries.',
  '    * SYNC: Synchronously flush the libraries.',
  'DUMP',
  '    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command',
  'RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]',
  '    Restore the libraries represented by the given payload, it is possible to give a restore policy to',
  '    control how to handle existing libraries (default APPEND):',
  '    * FLUSH: delete all existing libraries.',
  '    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.',
  '    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old',
  '      libraries with the new libraries (notice that even on this option there is a chance of failure',
  '      in case of functions name collision with another library).',
  'HELP',
  '    Print this help.',
];

function restore(c: ClientContext, argv: string[]): void {
  if (argv.length > 4) return c.reply.error(subcommandSyntax(argv));
  const policy = argv.length === 4 ? keyword(argv[3]!) : 'append';
  if (policy !== 'append' && policy !== 'replace' && policy !== 'flush') {
    return c.reply.error('ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.');
  }
  const payload = Buffer.from(argv[2]!, 'latin1');
  if (!verifyPayload(payload)) return c.reply.error('ERR DUMP payload version or checksum are wrong');
  const codes = readFunctions(payload);
  if (typeof codes === 'string') return c.reply.error(codes);
  const st = scripting(c.server);
  const engine = st.fnEngine!;
  const built: Library[] = [];
  for (const code of codes) {
    const lib = st.libraries.build(engine, code, true, 0);
    if ('error' in lib) {
      st.libraries.discard(engine, built);
      return c.reply.error(lib.error);
    }
    built.push(lib);
  }
  if (policy === 'flush') st.libraries.clear(engine);
  const err = st.libraries.join(engine, built, policy === 'replace');
  if (err !== null) {
    st.libraries.discard(engine, built);
    return c.reply.error(err);
  }
  c.server.dirty++;
  c.reply.ok();
}

export const FUNCTION_HANDLERS: HandlerTable = {
  fcall(c, argv) {
    fcall(c, argv, false);
  },

  fcall_ro(c, argv) {
    fcall(c, argv, true);
  },

  'function|load'(c, argv) {
    let replace = false;
    let i = 2;
    for (; i < argv.length - 1; i++) {
      if (keyword(argv[i]!) !== 'replace') return c.reply.error(`ERR Unknown option given: ${cString(argv[i]!)}`);
      replace = true;
    }
    if (i >= argv.length) return c.reply.error('ERR Function code is missing');
    const st = scripting(c.server);
    const timeout = c.flags & ClientFlag.MASTER ? 0 : LOAD_TIMEOUT_MS;
    const out = st.libraries.create(st.fnEngine!, argv[i]!, replace, timeout);
    if (typeof out !== 'string') return c.reply.error(out.error);
    c.server.dirty++;
    c.reply.bulk(out);
  },

  'function|delete'(c, argv) {
    const st = scripting(c.server);
    if (!st.libraries.delete(st.fnEngine!, argv[2]!)) return c.reply.error('ERR Library not found');
    c.server.dirty++;
    c.reply.ok();
  },

  'function|flush'(c, argv) {
    if (argv.length > 3) return c.reply.error(subcommandSyntax(argv));
    if (argv.length === 3 && !/^(a?sync)$/i.test(argv[2]!)) return c.reply.error('ERR FUNCTION FLUSH only supports SYNC|ASYNC option');
    const st = scripting(c.server);
    st.libraries.clear(st.fnEngine!);
    c.server.dirty++;
    c.reply.ok();
  },

  'function|list'(c, argv) {
    let withCode = false;
    let pattern: string | null = null;
    for (let i = 2; i < argv.length; i++) {
      const a = keyword(argv[i]!);
      if (!withCode && a === 'withcode') {
        withCode = true;
        continue;
      }
      if (pattern === null && a === 'libraryname') {
        if (i >= argv.length - 1) return c.reply.error('ERR library name argument was not given');
        pattern = argv[++i]!;
        continue;
      }
      return c.reply.error(`ERR Unknown argument ${cString(argv[i]!)}`);
    }
    const libs = [...scripting(c.server).libraries.libraries()].filter((l) => pattern === null || globMatch(pattern, l.name, true));
    c.reply.array(libs.length);
    for (const lib of libs) writeLibrary(c, lib, withCode);
  },

  'function|dump'(c) {
    const codes = [...scripting(c.server).libraries.libraries()].map((l) => l.code);
    c.reply.bulk(dumpFunctions(codes, c.server.config.bool('rdbcompression')).toString('latin1'));
  },

  'function|restore'(c, argv) {
    restore(c, argv);
  },

  'function|stats'(c) {
    const st = scripting(c.server);
    const running = st.runner.running;
    if (running !== null && running.isEval) return c.reply.error(BUSY_EVAL);
    const w = c.reply;
    w.map(2);
    w.bulk('running_script');
    if (running === null) {
      w.nullBulk();
    } else {
      w.map(3);
      w.bulk('name');
      w.bulk(running.name);
      w.bulk('command');
      w.bulkArray(running.argv);
      w.bulk('duration_ms');
      w.integer(running.durationMs);
    }
    w.bulk('engines');
    w.map(1);
    w.bulk('LUA');
    w.map(2);
    w.bulk('libraries_count');
    w.integer(st.libraries.size);
    w.bulk('functions_count');
    w.integer(st.libraries.functionCount);
  },

  'function|kill'(c) {
    scripting(c.server).runner.kill(c, false);
  },

  'function|help'(c) {
    c.reply.statusArray(FUNCTION_HELP);
  },
};
