/**
 * Differences from Redis that the extreme-argument differential accepts, each one documented in
 * docs/server.md ("Argument handling: differences from Redis"): error texts, and one platform
 * limit where ours must refuse what Redis accepts. Hangs and internal errors are never accepted.
 */

export interface KnownTextDiff {
  /** Full command names (`zrange`, `client|list`). */
  readonly command: RegExp;
  readonly ours: RegExp;
  readonly redis: RegExp;
  readonly why: string;
}

export const KNOWN_TEXT_DIFFS: readonly KnownTextDiff[] = [
  {
    command: /^(eval|eval_ro|evalsha|evalsha_ro|script\|load|function\|load)$/,
    ours: /^ERR Error compiling script \(new function\): user_script:\d+: /,
    redis: /^ERR Error compiling script \(new function\): user_script:\d+: /,
    why: 'the Lua VM is 5.4: its compiler words syntax errors differently from 5.1 (docs/server.md, Scripting)',
  },
];

/**
 * Calls where ours answers an error and Redis does not, each documented in docs/server.md:
 * strings longer than V8's longest string ("Argument handling"), the absent Lua debugger
 * ("Scripting").
 */
export const KNOWN_CLASS_DIFFS: readonly { readonly commands: RegExp; readonly ours: RegExp; readonly why: string }[] = [
  {
    commands: /^(setbit|setrange|append|bitfield|bitop)$/,
    ours: /^ERR string exceeds maximum allowed size \(proto-max-bulk-len\)$/,
    why: 'a string value is at most 536,870,888 bytes (V8), 24 bytes short of 512 MB',
  },
  {
    commands: /^script\|debug$/,
    ours: /^ERR SCRIPT DEBUG is not supported by this server \(no Lua debugger\)$/,
    why: 'no Lua debugger: SCRIPT DEBUG YES|SYNC refused (docs/server.md, Scripting)',
  },
];

/** True when ours' error (Redis succeeded) is a documented class difference. */
export function isKnownClassDiff(command: string, oursError: string): boolean {
  return KNOWN_CLASS_DIFFS.some((k) => k.commands.test(command) && k.ours.test(oursError));
}

export function isKnownTextDiff(command: string, ours: string, redis: string): boolean {
  return KNOWN_TEXT_DIFFS.some((k) => k.command.test(command) && k.ours.test(ours) && k.redis.test(redis));
}
