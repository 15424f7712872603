/**
 * CLIENT TRACKING, CLIENT CACHING, CLIENT TRACKINGINFO, CLIENT GETREDIR (Redis 7.0 networking.c),
 * with Redis's option parsing, check order and error texts. The behaviour is in tracking.ts.
 */

import { ClientFlag, type ClientContext, type HandlerTable } from '../dispatch/context.js';
import { keyword, parseInteger } from '../dispatch/args.js';
import * as R from '../dispatch/replies.js';
import { clientTracking, disableTracking, enableTracking } from './tracking.js';
import { prefixesOverlap } from './tracking-table.js';

const MODE_SWITCH = "before disabling tracking for this client, and then re-enabling it with a different mode.";

interface TrackingOptions {
  redirect: number;
  options: number;
  prefixes: string[];
}

/** Parses the options after ON|OFF; replies with the error and returns null when malformed. */
function parseOptions(c: ClientContext, argv: string[]): TrackingOptions | null {
  const o: TrackingOptions = { redirect: 0, options: 0, prefixes: [] };
  for (let j = 3; j < argv.length; j++) {
    const opt = keyword(argv[j]!);
    const more = j < argv.length - 1;
    if (opt === 'redirect' && more) {
      j++;
      if (o.redirect !== 0) return fail(c, 'ERR A client can only redirect to a single other client');
      const id = parseInteger(argv[j]!);
      if (id === null) return fail(c, R.NOT_INTEGER);
      if (!c.server.clients.has(id)) return fail(c, 'ERR The client ID you want redirect to does not exist');
      o.redirect = id;
    } else if (opt === 'bcast') o.options |= ClientFlag.TRACKING_BCAST;
    else if (opt === 'optin') o.options |= ClientFlag.TRACKING_OPTIN;
    else if (opt === 'optout') o.options |= ClientFlag.TRACKING_OPTOUT;
    else if (opt === 'noloop') o.options |= ClientFlag.TRACKING_NOLOOP;
    else if (opt === 'prefix' && more) o.prefixes.push(argv[++j]!);
    else return fail(c, R.SYNTAX);
  }
  return o;
}

function fail(c: ClientContext, text: string): null {
  c.reply.error(text);
  return null;
}

/** Prefixes must not overlap the client's existing ones, nor each other (Redis checkPrefixCollisionsOrReply). */
function prefixCollision(existing: ReadonlySet<string>, given: readonly string[]): string | null {
  const sorted = [...existing].sort();
  for (let i = 0; i < given.length; i++) {
    const p = given[i]!;
    const old = sorted.find((e) => prefixesOverlap(e, p));
    if (old !== undefined) return `ERR Prefix '${p}' overlaps with an existing prefix '${old}'. Prefixes for a single client must not overlap.`;
    for (let j = i + 1; j < given.length; j++) {
      if (prefixesOverlap(p, given[j]!)) {
        return `ERR Prefix '${p}' overlaps with another provided prefix '${given[j]}'. Prefixes for a single client must not overlap.`;
      }
    }
  }
  return null;
}

/** The checks Redis makes before enabling, in its order; the error text or null. */
function checkEnable(c: ClientContext, o: TrackingOptions): string | null {
  const bcast = (o.options & ClientFlag.TRACKING_BCAST) !== 0;
  const optin = (o.options & ClientFlag.TRACKING_OPTIN) !== 0;
  const optout = (o.options & ClientFlag.TRACKING_OPTOUT) !== 0;
  if (!bcast && o.prefixes.length > 0) return 'ERR PREFIX option requires BCAST mode to be enabled';
  if (c.flags & ClientFlag.TRACKING && (c.flags & ClientFlag.TRACKING_BCAST) !== 0 !== bcast) {
    return `ERR You can't switch BCAST mode on/off ${MODE_SWITCH}`;
  }
  if (bcast && (optin || optout)) return 'ERR OPTIN and OPTOUT are not compatible with BCAST';
  if (optin && optout) return "ERR You can't specify both OPTIN mode and OPTOUT mode";
  if ((optin && c.flags & ClientFlag.TRACKING_OPTOUT) || (optout && c.flags & ClientFlag.TRACKING_OPTIN)) {
    return `ERR You can't switch OPTIN/OPTOUT mode ${MODE_SWITCH}`;
  }
  return bcast ? prefixCollision(clientTracking(c).prefixes, o.prefixes) : null;
}

function trackingInfo(c: ClientContext): void {
  const f = c.flags;
  const flags = [f & ClientFlag.TRACKING ? 'on' : 'off'];
  if (f & ClientFlag.TRACKING_BCAST) flags.push('bcast');
  if (f & ClientFlag.TRACKING_OPTIN) {
    flags.push('optin');
    if (f & ClientFlag.TRACKING_CACHING) flags.push('caching-yes');
  }
  if (f & ClientFlag.TRACKING_OPTOUT) {
    flags.push('optout');
    if (f & ClientFlag.TRACKING_CACHING) flags.push('caching-no');
  }
  if (f & ClientFlag.TRACKING_NOLOOP) flags.push('noloop');
  if (f & ClientFlag.TRACKING_BROKEN_REDIR) flags.push('broken_redirect');
  c.reply.map(3);
  c.reply.bulk('flags');
  c.reply.set(flags.length);
  for (const x of flags) c.reply.bulk(x);
  c.reply.bulk('redirect');
  c.reply.integer(f & ClientFlag.TRACKING ? clientTracking(c).redirect : -1);
  c.reply.bulk('prefixes');
  c.reply.bulkArray([...clientTracking(c).prefixes].sort());
}

export const TRACKING_HANDLERS: HandlerTable = {
  'client|tracking'(c, argv) {
    const o = parseOptions(c, argv);
    if (o === null) return;
    const mode = keyword(argv[2]!);
    if (mode === 'on') {
      const err = checkEnable(c, o);
      if (err !== null) return c.reply.error(err);
      enableTracking(c, o.redirect, o.options, o.prefixes);
    } else if (mode === 'off') {
      disableTracking(c);
    } else {
      return c.reply.error(R.SYNTAX);
    }
    c.reply.ok();
  },

  'client|caching'(c, argv) {
    if (!(c.flags & ClientFlag.TRACKING)) {
      return c.reply.error('ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled');
    }
    const opt = keyword(argv[2]!);
    if (opt === 'yes') {
      if (!(c.flags & ClientFlag.TRACKING_OPTIN)) return c.reply.error('ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.');
    } else if (opt === 'no') {
      if (!(c.flags & ClientFlag.TRACKING_OPTOUT)) return c.reply.error('ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.');
    } else {
      return c.reply.error(R.SYNTAX);
    }
    c.flags |= ClientFlag.TRACKING_CACHING;
    c.reply.ok();
  },

  'client|trackinginfo': trackingInfo,

  'client|getredir'(c) {
    c.reply.integer(c.flags & ClientFlag.TRACKING ? clientTracking(c).redirect : -1);
  },
};
