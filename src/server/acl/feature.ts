/**
 * The ACL feature: installs the node's users (AclState) and wires them in: the dispatcher's
 * NOPERM guard (DispatchHooks.aclDenied), `requirepass` as the default user's password,
 * `acllog-max-len`, `acl-pubsub-default`, and at start-up the users of redis.conf's `user`
 * directives or of the `aclfile` (Redis ACLLoadUsersAtStartup: never both).
 *
 * Invariants: users are loaded before the listener accepts a connection (install time), so no
 * client ever runs as a user about to be replaced; a start-up error throws ConfigError (the node
 * does not start, exit code 1).
 */

import { ConfigError } from '../../errors.js';
import { setExt } from '../dispatch/context.js';
import type { FeatureHost, ServerFeature } from '../feature-contract.js';
import { loadAclFile } from './acl-file.js';
import { ACL_STATE, AclState, ruleErrorText } from './acl-state.js';
import { SelectorFlag, hasSpaces } from './selector.js';
import { ACL_USERS } from './users-view.js';

/** Redis ACLLoadUsersAtStartup. */
function loadAtStartup(host: FeatureHost, acl: AclState): void {
  const file = host.config.str('aclfile');
  const configured = host.config.users;
  if (file !== '' && configured.length > 0) {
    throw new ConfigError(
      'Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid. This setup is very likely to lead to configuration errors and security holes, please define either an ACL file or declare users directly in your redis.conf, but not both.',
    );
  }
  for (const [name, ...rules] of configured) {
    if (hasSpaces(name!)) throw new ConfigError('Spaces not allowed in ACL usernames. Critical error while loading ACLs. Exiting.');
    const err = acl.createConfigured(name!, rules);
    if (err !== null) {
      throw new ConfigError(`Error loading ACL rule '${err.op}' for the user named '${name}': ${ruleErrorText(err.err)}. Critical error while loading ACLs. Exiting.`);
    }
    if (!acl.get(name!)!.enabled) {
      host.log.notice(`The user '${name}' is disabled (there is no 'on' modifier in the user description). Make sure this is not a configuration error.`);
    }
  }
  if (file === '') return;
  const loaded = loadAclFile(file, (n) => acl.newUser(n), acl.pubsubDefault);
  if ('error' in loaded) throw new ConfigError(`Aborting Redis startup because of ACL errors: ${loaded.error}`);
  acl.replaceUsers(loaded.users);
}

export const ACL_FEATURE: ServerFeature = {
  name: 'acl',
  install(host: FeatureHost) {
    const acl = new AclState(host);
    setExt(host.ext, ACL_USERS, acl);
    setExt(host.ext, ACL_STATE, acl);
    host.dispatcher.hooks.aclDenied = (c, spec, argv, context) => acl.denied(c, spec, argv, context);
    host.config.watch('acl-pubsub-default', (v) => (acl.pubsubDefault = v === 'allchannels' ? SelectorFlag.ALLCHANNELS : 0));
    host.config.watch('acllog-max-len', (v) => {
      acl.log.maxLen = Number(v);
      acl.log.trim();
    });
    host.config.watch('requirepass', (v) => acl.setDefaultPassword(String(v)));
    loadAtStartup(host, acl);
  },
};
