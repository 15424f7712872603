/**
 * The node's ACL users (Redis's Users rax and DefaultUser) and what changes them: ACL SETUSER
 * (all or nothing: rules are tried on a copy first), ACL DELUSER, `requirepass`, AUTH, and the
 * checks the dispatcher, EXEC and scripts ask for, with their ACL LOG entries.
 *
 * Invariants: the `default` user always exists and is always the same object (clients and the
 * dispatcher hold it; a reload copies the new rules into it); a client whose user is deleted or
 * replaced is put back to the default user, unauthenticated, and disconnected (after the current
 * command's reply when it is the caller); `dispatcher.requirePass` follows the default user.
 */

import type { CommandSpec } from '../../commands/spec.js';
import { ClientFlag, ExtKey, getExt, type AclCheckContext, type ClientContext, type ClientUser, type ServerContext } from '../dispatch/context.js';
import { describeClient } from '../handlers/client.js';
import { CLIENT_SUBS } from '../pubsub/pubsub.js';
import { AclLog, type AclLogContext } from './acl-log.js';
import { Acl, channelAllowed, checkCommand, hasFullKeyAccess } from './check.js';
import { KeyPerm, SelectorFlag, hasSpaces, type RuleError } from './selector.js';
import { AclUser } from './user.js';
import { describeUser } from './describe.js';
import { cString } from '../util/c-parse.js';
import type { AclUsersView } from './users-view.js';

/** The ACL feature's state in `server.ext` (users-view.ts's ACL_USERS is its narrow view). */
export const ACL_STATE = new ExtKey<AclState>('acl.state');

/** Redis ACLSetUserStringError. */
export function ruleErrorText(err: RuleError): string {
  switch (err) {
    case 'ENOENT':
      return 'Unknown command or category name in ACL';
    case 'EINVAL':
      return 'Syntax error';
    case 'EEXIST':
      return "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns";
    case 'EISDIR':
      return "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels";
    case 'ENODEV':
      return 'The password you are trying to remove from the user does not exist';
    case 'EBADMSG':
      return 'The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters';
    case 'EALREADY':
      return 'Duplicate user found. A user can only be defined once in config files';
    case 'ECHILD':
      return 'Allowing first-arg of a subcommand is not supported';
  }
}

/**
 * Redis ACLMergeSelectorArguments: a selector may be spread over several arguments
 * (`(~a` `+get)`); they are joined with spaces. Returns the index of an unclosed `(`, or the rules.
 */
export function mergeSelectorArgs(args: readonly string[]): string[] | number {
  const out: string[] = [];
  let open = -1;
  let selector = '';
  for (let j = 0; j < args.length; j++) {
    const op = args[j]!;
    if (op[0] === '(' && op[op.length - 1] !== ')') {
      selector = op;
      open = j;
      continue;
    }
    if (open !== -1) {
      selector += ` ${op}`;
      if (op[op.length - 1] === ')') {
        open = -1;
        out.push(selector);
      }
      continue;
    }
    out.push(op);
  }
  return open !== -1 ? open : out;
}

const DENIED_COMMAND: Readonly<Record<number, (spec: CommandSpec) => string>> = {
  [Acl.DENIED_CMD]: (spec) => `NOPERM this user has no permissions to run the '${spec.fullName}' command`,
  [Acl.DENIED_KEY]: () => 'NOPERM this user has no permissions to access one of the keys used as arguments',
  [Acl.DENIED_CHANNEL]: () => 'NOPERM this user has no permissions to access one of the channels used as arguments',
};

const EXEC_REASON: Readonly<Record<number, string>> = {
  [Acl.DENIED_CMD]: 'no permission to execute the command or subcommand',
  [Acl.DENIED_KEY]: 'no permission to touch the specified keys',
  [Acl.DENIED_CHANNEL]: 'no permission to access one of the channels used as arguments',
};

/** Redis getAclErrorMessage (the script error after "The user executing the script "). */
const SCRIPT_REASON: Readonly<Record<number, string>> = {
  [Acl.DENIED_CMD]: "can't run this command or subcommand",
  [Acl.DENIED_KEY]: "can't access at least one of the keys mentioned in the command arguments",
  [Acl.DENIED_CHANNEL]: "can't publish to the channel mentioned in the command",
};

export class AclState implements AclUsersView {
  private users = new Map<string, AclUser>();
  readonly defaultUser: AclUser;
  readonly log = new AclLog();
  /** SelectorFlag.ALLCHANNELS under `acl-pubsub-default allchannels`, else 0. */
  pubsubDefault = 0;

  constructor(private readonly server: ServerContext) {
    this.defaultUser = AclState.newDefaultUser('default');
    this.users.set('default', this.defaultUser);
    this.defaultChanged();
  }

  /** Redis ACLCreateDefaultUser: on, nopass, every command, key and channel. */
  static newDefaultUser(name: string): AclUser {
    const u = new AclUser(name, 0);
    for (const op of ['+@all', '~*', '&*', 'on', 'nopass']) u.apply(op, 0);
    u.refresh();
    return u;
  }

  get(name: string): AclUser | undefined {
    return this.users.get(name);
  }

  /** Users in name order (bytes; Redis's rax order): ACL LIST, ACL USERS, ACL SAVE. */
  sorted(): AclUser[] {
    return [...this.users.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  configLines(): string[] {
    return this.sorted().map((u) => `user ${u.name} ${describeUser(u)}`);
  }

  fullKeyAccess(c: ClientContext, spec: CommandSpec, argv: readonly string[], write: boolean): boolean {
    const user = this.userOf(c);
    return user === null || hasFullKeyAccess(user, spec, argv, write ? KeyPerm.WRITE : KeyPerm.READ);
  }

  /** The client's user as this state knows it (a client of a replaced user counts as default). */
  userOf(c: ClientContext): AclUser | null {
    const u = c.user;
    if (u === null) return null;
    const mine = this.users.get(u.name);
    return mine === u ? mine : this.defaultUser;
  }

  /** The default user changed: new connections and the auth guard follow it. */
  defaultChanged(): void {
    const d = this.defaultUser;
    this.server.dispatcher.requirePass = !d.nopass || !d.enabled;
    this.server.dispatcher.defaultUser = d;
  }

  private changed(u: AclUser): void {
    u.refresh();
    if (u === this.defaultUser) this.defaultChanged();
  }

  /**
   * ACL SETUSER (Redis ACLStringSetUser): every rule is tried on a copy; on the first refusal
   * nothing changes and Redis's error text is returned. Subscribers who lose a channel are
   * disconnected.
   */
  setUser(name: string, args: readonly string[]): string | null {
    const merged = mergeSelectorArgs(args);
    if (typeof merged === 'number') return `ERR Unmatched parenthesis in acl selector starting at '${cString(args[merged]!)}'.`;
    const existing = this.users.get(name);
    const temp = existing !== undefined ? existing.clone() : new AclUser(name, this.pubsubDefault);
    for (const op of merged) {
      const err = temp.apply(op, this.pubsubDefault);
      if (err !== null) return `ERR Error in ACL SETUSER modifier '${cString(op)}': ${ruleErrorText(err)}`;
    }
    if (existing !== undefined) {
      this.killRevokedSubscribers(temp, existing);
      existing.copyFrom(temp);
      this.changed(existing);
    } else {
      temp.refresh();
      this.users.set(name, temp);
    }
    return null;
  }

  /** ACL DELUSER: the count deleted; their clients are disconnected. The default user stays. */
  deleteUsers(names: readonly string[]): number {
    let deleted = 0;
    for (const n of names) {
      const u = this.users.get(n);
      if (u === undefined) continue;
      this.users.delete(n);
      this.disconnectUsersOf(new Set([u]));
      deleted++;
    }
    return deleted;
  }

  /**
   * Puts every client of these users back to the default user, unauthenticated, and closes it;
   * the client running the current command gets its reply first (Redis ACLFreeUserAndKillClients).
   */
  disconnectUsersOf(users: ReadonlySet<ClientUser>): void {
    const current = this.server.dispatcher.current;
    for (const c of [...this.server.clients.values()]) {
      if (c.user === null || !users.has(c.user)) continue;
      c.user = this.defaultUser;
      c.authenticated = false;
      c.close(c === current);
    }
  }

  /**
   * Redis ACLKillPubsubClientsIfNeeded: when `next` no longer covers every channel `prev`
   * allowed, `prev`'s subscribers with a subscription `next` refuses are disconnected.
   */
  private killRevokedSubscribers(next: AclUser, prev: AclUser): void {
    if (next.selectors.some((s) => s.flags & SelectorFlag.ALLCHANNELS)) return;
    const upcoming = next.selectors.flatMap((s) => s.channels);
    const kept = prev.selectors.every((s) => !(s.flags & SelectorFlag.ALLCHANNELS) && s.channels.every((ch) => upcoming.includes(ch)));
    if (kept) return;
    for (const c of [...this.server.clients.values()]) {
      if (c.user !== prev || !(c.flags & ClientFlag.PUBSUB)) continue;
      const subs = getExt(c.ext, CLIENT_SUBS);
      if (subs === undefined) continue;
      const revoked =
        [...subs.patterns].some((p) => !channelAllowed(upcoming, p, true)) ||
        [...subs.channels].some((ch) => !channelAllowed(upcoming, ch, false)) ||
        [...subs.shard].some((ch) => !channelAllowed(upcoming, ch, false));
      if (revoked) c.close(false);
    }
  }

  /** `requirepass` (Redis ACLUpdateDefaultUserPassword): "" makes the default user nopass. */
  setDefaultPassword(pass: string): void {
    const d = this.defaultUser;
    d.apply('resetpass', 0);
    d.apply(pass === '' ? 'nopass' : `>${pass}`, 0);
    this.changed(d);
  }

  /**
   * AUTH / HELLO AUTH (Redis ACLAuthenticateUser): true and the client is authenticated as the
   * user, or false with an `auth` entry in ACL LOG whose object is `object` (the command name).
   */
  authenticate(c: ClientContext, username: string, password: string, object: string): boolean {
    const u = this.users.get(username);
    if (u !== undefined && u.enabled && u.checkPassword(password)) {
      c.authenticated = true;
      c.user = u;
      return true;
    }
    this.logDenial(c, Acl.DENIED_AUTH, c.flags & (ClientFlag.MULTI | ClientFlag.IN_EXEC) ? 'multi' : 'toplevel', object, username);
    return false;
  }

  /** Adds an ACL LOG entry for a denial suffered by `c` (its CLIENT LIST line is recorded). */
  logDenial(c: ClientContext, reason: number, context: AclLogContext, object: string, username: string): void {
    this.log.add(reason, context, object, username, describeClient(c, Date.now()));
  }

  /** The dispatcher's, EXEC's and scripts' check (DispatchHooks.aclDenied). */
  denied(c: ClientContext, spec: CommandSpec, argv: readonly string[], context: AclCheckContext): string | null {
    const user = this.userOf(c);
    if (user === null) return null;
    const v = checkCommand(user, spec, argv);
    if (v.code === Acl.OK) return null;
    if (context === 'probe') return 'denied';
    const object = v.code === Acl.DENIED_CMD ? spec.fullName : argv[v.pos]!;
    const logContext: AclLogContext = context === 'script' ? 'lua' : context === 'exec' || c.flags & ClientFlag.MULTI ? 'multi' : 'toplevel';
    // The CLIENT LIST line of the entry names the refused command, as Redis's does.
    if (context === 'command') c.spec = spec;
    this.logDenial(c, v.code, logContext, object, user.name);
    if (context === 'script') return `The user executing the script ${SCRIPT_REASON[v.code]!}`;
    if (context === 'exec') {
      return `NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: ${EXEC_REASON[v.code]!}`;
    }
    return DENIED_COMMAND[v.code]!(spec);
  }

  /** Replaces every user at once (ACL LOAD); the old users' clients are disconnected. */
  replaceUsers(next: Map<string, AclUser>): void {
    const fresh = next.get('default') ?? AclState.newDefaultUser('default');
    this.defaultUser.copyFrom(fresh);
    next.set('default', this.defaultUser);
    const old = new Set<ClientUser>(this.users.values());
    old.delete(this.defaultUser);
    this.users = next;
    this.defaultChanged();
    this.disconnectUsersOf(old);
  }

  /** A user for loading: created with the pub/sub default in force (Redis ACLCreateUser). */
  newUser(name: string): AclUser {
    return new AclUser(name, this.pubsubDefault);
  }

  /** Creates or resets (default) a user from `user` directive rules; throws nothing, returns the refusal. */
  createConfigured(name: string, rules: readonly string[]): { op: string; err: RuleError } | null {
    if (hasSpaces(name)) return { op: name, err: 'EINVAL' };
    let u = this.users.get(name);
    if (u === undefined) {
      u = this.newUser(name);
      this.users.set(name, u);
    } else {
      u.apply('reset', this.pubsubDefault);
    }
    for (const op of rules) {
      const err = u.apply(op, this.pubsubDefault);
      if (err !== null) return { op, err };
    }
    this.changed(u);
    return null;
  }
}
