/**
 * The ACL file (`aclfile`): reading it into a fresh set of users (Redis ACLLoadFromFile) and
 * writing the users back in the same format (Redis ACLSaveToFile), plus the `user` directives of
 * redis.conf (Redis ACLAppendUserForLoading / ACLLoadConfiguredUsers).
 *
 * Invariants: loading builds a new user map and returns every error found, changing nothing on
 * any error (the caller swaps the map in only when there is none); saving writes a temporary file
 * in the same directory and renames it over the old one, so a reader sees the old or the new file,
 * never a part. Files are read and written as latin1 (one char per byte, as the server's strings).
 */

import { closeSync, openSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import { fsyncDirSync, writeAllSync } from '../persistence/durable-file.js';
import { dirname } from 'node:path';
import { mergeSelectorArgs, ruleErrorText } from './acl-state.js';
import { hasSpaces } from './selector.js';
import { AclUser } from './user.js';

/** What a file load produced: the users, or the one-line error text ACL LOAD replies with. */
export type LoadResult = { readonly users: Map<string, AclUser> } | { readonly error: string };

/** Redis sdssplitlen on single spaces: empty fields between two spaces are kept. */
function splitSpaces(line: string): string[] {
  return line.split(' ');
}

/** Redis sdstrim: drops the given characters from both ends. */
function trim(s: string, chars: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && chars.includes(s[a]!)) a++;
  while (b > a && chars.includes(s[b - 1]!)) b--;
  return s.slice(a, b);
}

/** Parses the text of an ACL file; `newUser` creates a user with the pub/sub default in force. */
export function parseAclFile(text: string, filename: string, newUser: (name: string) => AclUser, pubsubDefault: number): LoadResult {
  const users = new Map<string, AclUser>();
  let errors = '';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = trim(lines[i]!, ' \t\r\n');
    const linenum = i + 1;
    if (line === '') continue;
    const argv = splitSpaces(line);
    if (argv[0] !== 'user' || argv.length < 2) {
      errors += `${filename}:${linenum} should start with user keyword followed by the username. `;
      continue;
    }
    const name = argv[1]!;
    if (hasSpaces(name)) {
      errors += `'${filename}:${linenum}: username '${name}' contains invalid characters. `;
      continue;
    }
    if (users.has(name)) {
      errors += `WARNING: Duplicate user '${name}' found on line ${linenum}. `;
      continue;
    }
    const u = newUser(name);
    users.set(name, u);
    const merged = mergeSelectorArgs(argv.slice(2));
    if (typeof merged === 'number') {
      errors += `${filename}:${linenum}: Unmatched parenthesis in selector definition.`;
      continue;
    }
    let syntaxError = false;
    for (const raw of merged) {
      const op = trim(raw, '\t\r\n');
      const err = u.apply(op, pubsubDefault);
      if (err === null) continue;
      if (err === 'ENOENT') errors += `${filename}:${linenum}: Error in applying operation '${op}': ${ruleErrorText(err)}. `;
      else if (!syntaxError) {
        errors += `${filename}:${linenum}: ${ruleErrorText(err)}. `;
        syntaxError = true;
      }
    }
    u.refresh();
  }
  if (errors !== '') return { error: errors + 'WARNING: ACL errors detected, no change to the previously active ACL rules was performed' };
  return { users };
}

/** Reads and parses the ACL file; an unreadable file is an error like Redis's. */
export function loadAclFile(filename: string, newUser: (name: string) => AclUser, pubsubDefault: number): LoadResult {
  let text: string;
  try {
    text = readFileSync(filename, 'latin1');
  } catch (err) {
    return { error: `Error loading ACLs, opening file '${filename}': ${describeErrno(err)}` };
  }
  return parseAclFile(text, filename, newUser, pubsubDefault);
}

/** strerror-like text of a file error. */
function describeErrno(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'No such file or directory';
  if (code === 'EACCES') return 'Permission denied';
  if (code === 'EISDIR') return 'Is a directory';
  return (err as Error).message;
}

/** ACL SAVE: writes `lines` (ACL LIST's) atomically (temp file + rename); returns the failure, or null. */
export function saveAclFile(filename: string, lines: readonly string[]): string | null {
  const tmp = `${filename}.tmp-${process.pid}-${Date.now()}`;
  let fd = -1;
  try {
    fd = openSync(tmp, 'w', 0o644);
    writeAllSync(fd, Buffer.from(lines.map((l) => `${l}\n`).join(''), 'latin1'), 0);
    closeSync(fd);
    fd = -1;
    renameSync(tmp, filename);
    fsyncDirSync(dirname(filename));
    return null;
  } catch (err) {
    if (fd !== -1) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      /* never created, or already renamed */
    }
    return describeErrno(err);
  }
}

/**
 * Checks one redis.conf `user` directive (Redis ACLAppendUserForLoading): rules that can never
 * apply are refused at once (unknown commands may come later, so they pass here). Returns the
 * error text, or null.
 */
export function checkUserDirective(args: readonly string[], seen: ReadonlySet<string>): string | null {
  // Redis names the refused rule by its index into the merged rules but reads it from the
  // directive's words (`user` first): the same word is named here.
  const word = (j: number): string => (j === 0 ? 'user' : (args[j - 1] ?? ''));
  const name = args[0]!;
  if (seen.has(name)) return `Error in user declaration '${name}': ${ruleErrorText('EALREADY')}`;
  const merged = mergeSelectorArgs(args.slice(1));
  if (typeof merged === 'number') return `Error in user declaration '${word(merged)}': Unmatched parenthesis in acl selector starting at '${args[merged + 1]}'.`;
  const fake = new AclUser(name, 0);
  for (let j = 0; j < merged.length; j++) {
    const err = fake.apply(merged[j]!, 0);
    if (err !== null && err !== 'ENOENT') return `Error in user declaration '${word(j)}': ${ruleErrorText(err)}`;
  }
  return null;
}
