/**
 * What the rest of the server may ask the ACL feature without importing it (AUTH, HELLO, CLIENT
 * KILL USER, SORT's BY/GET rule): a leaf, so handlers that the ACL code itself uses (CLIENT LIST
 * lines for ACL LOG) import no cycle.
 */

import type { CommandSpec } from '../../commands/spec.js';
import { ExtKey, getExt, type ClientContext, type ClientUser, type ServerContext } from '../dispatch/context.js';

export interface AclUsersView {
  /** The user named `name`, if it exists. */
  get(name: string): ClientUser | undefined;
  /**
   * Redis ACLUserCheckCmdWithUnrestrictedKeyAccess: the client's user may run this command and
   * read (or, with `write`, write) every key.
   */
  fullKeyAccess(c: ClientContext, spec: CommandSpec, argv: readonly string[], write: boolean): boolean;
  /**
   * AUTH / HELLO AUTH: true and `c` is authenticated as the user, or false with an ACL LOG entry
   * whose object is `object` (the command name as sent).
   */
  authenticate(c: ClientContext, username: string, password: string, object: string): boolean;
  /** Every user as a `user <name> <rules>` line, in name order (ACL LIST, CONFIG REWRITE). */
  configLines(): string[];
}

export const ACL_USERS = new ExtKey<AclUsersView>('acl');

export function aclUsers(server: ServerContext): AclUsersView | undefined {
  return getExt(server.ext, ACL_USERS);
}
