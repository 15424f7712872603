/**
 * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT LOAD/EXISTS/FLUSH/KILL/DEBUG/HELP (Redis eval.c),
 * with Redis's argument checks, error texts and their order (EVALSHA's sha length before numkeys).
 */

import type { ClientContext, HandlerTable } from '../dispatch/context.js';
import { isWord, keyword, parseInt64 } from '../dispatch/args.js';
import * as R from '../dispatch/replies.js';
import { scripting } from './scripting-state.js';

const NOSCRIPT = 'NOSCRIPT No matching script. Please use EVAL.';

/** numkeys as Redis checks it; null after an error reply. */
export function parseNumkeys(c: ClientContext, argv: string[], notInteger: string): number | null {
  const n = parseInt64(argv[2]!);
  if (n === null) {
    c.reply.error(notInteger);
    return null;
  }
  if (n > BigInt(argv.length - 3)) {
    c.reply.error("ERR Number of keys can't be greater than number of args");
    return null;
  }
  if (n < 0n) {
    c.reply.error("ERR Number of keys can't be negative");
    return null;
  }
  return Number(n);
}

function evalGeneric(c: ClientContext, argv: string[], sha: boolean, ro: boolean): void {
  const st = scripting(c.server);
  const engine = st.evalEngine!;
  if (sha && argv[1]!.length !== 40) return c.reply.error(NOSCRIPT);
  const numkeys = parseNumkeys(c, argv, R.NOT_INTEGER);
  if (numkeys === null) return;
  const script = sha ? st.scripts.get(argv[1]!) : st.scripts.create(engine, argv[1]!);
  if (script === undefined) return c.reply.error(NOSCRIPT);
  if (typeof script === 'string') return c.reply.error(script);
  st.startScript(c, engine, script.slot, script.sha, numkeys, true, script.flags, ro);
}

const SCRIPT_HELP = [
  'SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'DEBUG (YES|SYNC|NO)',
  '    Set the debug mode for subsequent scripts executed.',
  'EXISTS <sha1> [<sha1> ...]',
  '    Return information about the existence of the scripts in the script cache.',
  'FLUSH [ASYNC|SYNC]',
  '    Flush the Lua scripts cache. Very dangerous on replicas.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the scripts cache.',
  '    * SYNC: Synchronously flush the scripts cache.',
  'KILL',
  '    Kill the currently executing Lua script.',
  'LOAD <script>',
  '    Load a script into the scripts cache without executing it.',
  'HELP',
  '    Print this help.',
];

export const EVAL_HANDLERS: HandlerTable = {
  eval(c, argv) {
    evalGeneric(c, argv, false, false);
  },

  evalsha(c, argv) {
    evalGeneric(c, argv, true, false);
  },

  eval_ro(c, argv) {
    evalGeneric(c, argv, false, true);
  },

  evalsha_ro(c, argv) {
    evalGeneric(c, argv, true, true);
  },

  'script|load'(c, argv) {
    const st = scripting(c.server);
    const script = st.scripts.create(st.evalEngine!, argv[2]!);
    if (typeof script === 'string') return c.reply.error(script);
    c.reply.bulk(script.sha);
  },

  'script|exists'(c, argv) {
    const scripts = scripting(c.server).scripts;
    c.reply.array(argv.length - 2);
    for (let i = 2; i < argv.length; i++) c.reply.integer(scripts.get(argv[i]!) !== undefined ? 1 : 0);
  },

  'script|flush'(c, argv) {
    if (argv.length > 3 || (argv.length === 3 && !isWord(argv[2]!, 'sync') && !isWord(argv[2]!, 'async'))) {
      return c.reply.error('ERR SCRIPT FLUSH only support SYNC|ASYNC option');
    }
    scripting(c.server).resetEval();
    c.reply.ok();
  },

  'script|kill'(c) {
    scripting(c.server).runner.kill(c, true);
  },

  'script|debug'(c, argv) {
    const mode = keyword(argv[2]!);
    if (mode === 'no') return c.reply.ok();
    if (mode === 'yes' || mode === 'sync') return c.reply.error('ERR SCRIPT DEBUG is not supported by this server (no Lua debugger)');
    c.reply.error('ERR Use SCRIPT DEBUG YES/SYNC/NO');
  },

  'script|help'(c) {
    c.reply.statusArray(SCRIPT_HELP);
  },
};
