/**
 * Error reply texts shared by many handlers, spelled exactly as Redis 7.0 spells them.
 * One place, so a differential test failure on an error text is fixed once.
 */

export const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
export const SYNTAX = 'ERR syntax error';
export const NOT_INTEGER = 'ERR value is not an integer or out of range';
export const NOT_FLOAT = 'ERR value is not a valid float';
export const NO_SUCH_KEY = 'ERR no such key';
export const INDEX_OUT_OF_RANGE = 'ERR index out of range';
export const DB_INDEX_OUT_OF_RANGE = 'ERR DB index is out of range';
export const INVALID_EXPIRE = (cmd: string): string => `ERR invalid expire time in '${cmd}' command`;
export const OVERFLOW = 'ERR increment or decrement would overflow';
export const NOAUTH = 'NOAUTH Authentication required.';
export const OOM = "OOM command not allowed when used memory > 'maxmemory'.";
export const READONLY = "READONLY You can't write against a read only replica.";
export const LOADING = 'LOADING Redis is loading the dataset in memory';
export const EXECABORT = 'EXECABORT Transaction discarded because of previous errors.';
export const WRONG_ARGS = (fullName: string): string => `ERR wrong number of arguments for '${fullName}' command`;
export const STRING_TOO_LONG = 'ERR string exceeds maximum allowed size (proto-max-bulk-len)';

/** An argument as C's `%.Ns` prints it: up to its first NUL, at most `max` characters. */
function cArg(s: string, max: number): string {
  const nul = s.indexOf('\0');
  return (nul === -1 ? s : s.slice(0, nul)).slice(0, max);
}

/** Redis's "unknown command" text: the name and up to 128 characters of arguments, each quoted. */
export function unknownCommand(argv: readonly string[]): string {
  let args = '';
  for (let i = 1; i < argv.length && args.length < 128; i++) {
    args += `'${cArg(argv[i]!, 128 - args.length)}' `;
  }
  return `ERR unknown command '${cArg(argv[0]!, 128)}', with args beginning with: ${args}`;
}

export function unknownSubcommand(argv: readonly string[]): string {
  return `ERR unknown subcommand '${cArg(argv[1]!, 128)}'. Try ${cArg(argv[0]!, Infinity).toUpperCase()} HELP.`;
}

/** Redis addReplySubcommandSyntaxError: a container's subcommand with the wrong arguments. */
export function subcommandSyntaxError(argv: readonly string[]): string {
  return `ERR unknown subcommand or wrong number of arguments for '${cArg(argv[1]!, 128)}'. Try ${cArg(argv[0]!, Infinity).toUpperCase()} HELP.`;
}
