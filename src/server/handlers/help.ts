/**
 * The reply of `<COMMAND> HELP` (Redis addReplyHelp): a header line, the command's own lines,
 * then `HELP` / `Prints this help.`, as status replies.
 */

import type { ClientContext } from '../dispatch/context.js';

export function helpReply(c: ClientContext, command: string, lines: readonly string[]): void {
  c.reply.array(lines.length + 3);
  c.reply.simple(`${command.toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const l of lines) c.reply.simple(l);
  c.reply.simple('HELP');
  c.reply.simple('    Prints this help.');
}
