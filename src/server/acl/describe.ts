/**
 * Users and selectors written back as rules (Redis ACLDescribeUser / ACLDescribeSelector /
 * ACLDescribeSelectorCommandRules): ACL LIST, ACL GETUSER, ACL SAVE and CONFIG REWRITE print
 * these, and applying the text again rebuilds exactly the same permissions.
 *
 * The command rules start from `+@all` (when the selector may run future commands) or `-@all`,
 * apply the categories that fit best (more commands in common than different, fewest
 * differences first), then single commands and first arguments for what is left. Single
 * commands are visited in table order (Redis visits its command dict in hash order).
 */

import { BY_ID, CATEGORIES, FUTURE_BIT, TOP } from './catalog.js';
import { KeyPerm, Selector, SelectorFlag, type KeyPattern } from './selector.js';
import { USER_FLAG_NAMES, type AclUser } from './user.js';

export function describePattern(p: KeyPattern): string {
  const prefix = p.perm === KeyPerm.ALL ? '~' : p.perm === KeyPerm.READ ? '%R~' : '%W~';
  return prefix + p.pattern;
}

/** Emits the single-command differences between `sel` and `fake`, applying them to `fake`. */
function singleCommands(sel: Selector, fake: Selector, out: string[]): void {
  const visit = (spec: NonNullable<(typeof BY_ID)[number]>): void => {
    const user = sel.hasBit(spec.id);
    if (user !== fake.hasBit(spec.id)) {
      out.push(`${user ? '+' : '-'}${spec.fullName}`);
      fake.changePerm(spec, user);
    }
    if (spec.subcommands !== null) for (const sub of spec.subcommands.values()) visit(sub);
    const args = sel.firstArgs?.get(spec.id);
    if (!user && args !== undefined) for (const a of args) out.push(`+${spec.fullName}|${a}`);
  };
  for (const spec of TOP) visit(spec);
}

/** The selector's command rules (ACL GETUSER `commands`). */
export function describeCommandRules(sel: Selector): string {
  const out: string[] = [];
  const fake = new Selector(0, 0);
  const additive = !sel.hasBit(FUTURE_BIT);
  out.push(additive ? '-@all' : '+@all');
  fake.allCommands(!additive);
  const temp = new Selector(0, 0);
  temp.bits.set(sel.bits);
  const applied = new Set<number>();
  for (;;) {
    let best = -1;
    let minDiff = Number.MAX_SAFE_INTEGER;
    let maxSame = 0;
    for (let j = 0; j < CATEGORIES.length; j++) {
      if (applied.has(j)) continue;
      const { on, off } = temp.countCategory(j);
      const diff = additive ? off : on;
      const same = additive ? on : off;
      if (same > diff && (diff < minDiff || (diff === minDiff && same > maxSame))) {
        best = j;
        minDiff = diff;
        maxSame = same;
      }
    }
    if (best === -1) break;
    fake.setCategory(best, additive);
    temp.setCategory(best, !additive);
    out.push(`${additive ? '+' : '-'}@${CATEGORIES[best]}`);
    applied.add(best);
  }
  singleCommands(sel, fake, out);
  return out.join(' ');
}

/** Keys, channels and commands of a selector, as ACL LIST writes them. */
export function describeSelector(sel: Selector): string {
  let res = '';
  if (sel.flags & SelectorFlag.ALLKEYS) res += '~* ';
  else for (const p of sel.patterns) res += describePattern(p) + ' ';
  if (sel.flags & SelectorFlag.ALLCHANNELS) res += '&* ';
  else {
    res += 'resetchannels ';
    for (const ch of sel.channels) res += `&${ch} `;
  }
  return res + describeCommandRules(sel);
}

/** Everything about a user but its name, as ACL LIST and the ACL file write it. */
export function describeUser(u: AclUser): string {
  if (u.described !== null) return u.described;
  let res = '';
  for (const [name, bit] of USER_FLAG_NAMES) if (u.flags & bit) res += `${name} `;
  for (const p of u.passwords) res += `#${p} `;
  u.selectors.forEach((s, i) => {
    res += i === 0 ? describeSelector(s) : ` (${describeSelector(s)})`;
  });
  u.described = res;
  return res;
}

/** The `keys` field of ACL GETUSER. */
export function describeKeys(sel: Selector): string {
  if (sel.flags & SelectorFlag.ALLKEYS) return '~*';
  return sel.patterns.map(describePattern).join(' ');
}

/** The `channels` field of ACL GETUSER. */
export function describeChannels(sel: Selector): string {
  if (sel.flags & SelectorFlag.ALLCHANNELS) return '&*';
  return sel.channels.map((c) => `&${c}`).join(' ');
}

