/**
 * SLOWLOG, LATENCY and MONITOR commands over the observation state (state.ts), with Redis 7.0's
 * replies and error texts.
 */

import { ClientFlag, type ClientContext, type HandlerTable } from '../dispatch/context.js';
import { cString, parseInteger } from '../dispatch/args.js';
import { helpReply } from '../handlers/help.js';
import { latencyGraph } from './latency-graph.js';
import type { LatencyMonitor } from './latency.js';
import { latencyReport } from './latency-report.js';
import { observer } from './state.js';

function subcommandSyntax(c: ClientContext, argv: string[]): void {
  c.reply.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1]!.slice(0, 128)}'. Try SLOWLOG HELP.`);
}

const SLOWLOG_HELP = [
  'GET [<count>]',
  '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
  '    Entries are made of:',
  '    id, timestamp, time in microseconds, arguments array, client IP and port,',
  '    client name',
  'LEN',
  '    Return the length of the slowlog.',
  'RESET',
  '    Reset the slowlog.',
];

export const SLOWLOG_HANDLERS: HandlerTable = {
  'slowlog|get'(c, argv) {
    if (argv.length > 3) return subcommandSyntax(c, argv);
    const log = observer(c.server).slowlog;
    let count = 10;
    if (argv.length === 3) {
      const n = parseInteger(argv[2]!);
      if (n === null || n < -1) return c.reply.error('ERR count should be greater than or equal to -1');
      count = n === -1 ? log.entries.length : n;
    }
    const list = log.entries.slice(0, count);
    const r = c.reply;
    r.array(list.length);
    for (const e of list) {
      r.array(6);
      r.integer(e.id);
      r.integer(e.time);
      r.integer(e.usec);
      r.bulkArray(e.argv);
      r.bulk(e.peer);
      r.bulk(e.name);
    }
  },

  'slowlog|len'(c) {
    c.reply.integer(observer(c.server).slowlog.entries.length);
  },

  'slowlog|reset'(c) {
    observer(c.server).slowlog.entries = [];
    c.reply.ok();
  },

  'slowlog|help'(c) {
    helpReply(c, 'SLOWLOG', SLOWLOG_HELP);
  },
};

/** One command's entry (Redis fillCommandCDF): calls and the cumulative count per bucket that grew. */
function histogramReply(c: ClientContext, h: Uint32Array): void {
  let total = 0;
  for (const n of h) total += n;
  const rows: [number, number][] = [];
  let cumulative = 0;
  for (let k = 0; k < h.length; k++) {
    if (h[k] === 0) continue;
    cumulative += h[k]!;
    rows.push([2 ** k, cumulative]);
  }
  c.reply.map(2);
  c.reply.bulk('calls');
  c.reply.integer(total);
  c.reply.bulk('histogram_usec');
  c.reply.map(rows.length);
  for (const [usec, count] of rows) {
    c.reply.integer(usec);
    c.reply.integer(count);
  }
}

const LATENCY_HELP = [
  'DOCTOR',
  '    Return a human readable latency analysis report.',
  'GRAPH <event>',
  '    Return an ASCII latency graph for the <event> class.',
  'HISTORY <event>',
  '    Return time-latency samples for the <event> class.',
  'LATEST',
  '    Return the latest latency samples for all events.',
  'RESET [<event> ...]',
  '    Reset latency data of one or more <event> classes.',
  '    (default: reset all data for all event classes)',
  'HISTOGRAM [COMMAND ...]',
  '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
  '    If no commands are specified then all histograms are replied.',
];

function monitor(c: ClientContext): LatencyMonitor {
  return observer(c.server).latency;
}

export const LATENCY_HANDLERS: HandlerTable = {
  'latency|latest'(c) {
    const events = monitor(c).events;
    c.reply.array(events.size);
    for (const [name, ts] of events) {
      const last = ts.latest();
      c.reply.array(4);
      c.reply.bulk(name);
      c.reply.integer(last.time);
      c.reply.integer(last.latency);
      c.reply.integer(ts.max);
    }
  },

  'latency|history'(c, argv) {
    const ts = monitor(c).events.get(argv[2]!);
    const samples = ts?.history() ?? [];
    c.reply.array(samples.length);
    for (const s of samples) {
      c.reply.array(2);
      c.reply.integer(s.time);
      c.reply.integer(s.latency);
    }
  },

  'latency|graph'(c, argv) {
    const ts = monitor(c).events.get(argv[2]!);
    if (ts === undefined) return c.reply.error(`ERR No samples available for event '${cString(argv[2]!)}'`);
    c.reply.verbatim(latencyGraph(argv[2]!, ts));
  },

  'latency|reset'(c, argv) {
    const m = monitor(c);
    if (argv.length === 2) return c.reply.integer(m.reset(null));
    let n = 0;
    for (let i = 2; i < argv.length; i++) n += m.reset(argv[i]!);
    c.reply.integer(n);
  },

  'latency|doctor'(c) {
    c.reply.verbatim(latencyReport(c.server, monitor(c)));
  },

  'latency|histogram'(c, argv) {
    const stats = [...c.server.dispatcher.commandStats()];
    const wanted =
      argv.length === 2
        ? stats
        : argv.slice(2).flatMap((name) => {
            const n = name.toLowerCase();
            return stats.filter(([full]) => full === n || (!n.includes('|') && full.startsWith(`${n}|`)));
          });
    const withData = wanted.filter(([, st]) => st.histogram !== null);
    c.reply.map(withData.length);
    for (const [name, st] of withData) {
      c.reply.bulk(name);
      histogramReply(c, st.histogram!);
    }
  },

  'latency|help'(c) {
    helpReply(c, 'LATENCY', LATENCY_HELP);
  },
};

export const MONITOR_HANDLERS: HandlerTable = {
  monitor(c) {
    if (c.flags & ClientFlag.IN_EXEC) return c.reply.error("ERR MONITOR isn't allowed for DENY BLOCKING client");
    // Already a replica or a monitor: ignored, as Redis does.
    if (c.flags & (ClientFlag.REPLICA | ClientFlag.MONITOR)) return;
    c.flags |= ClientFlag.MONITOR;
    const o = observer(c.server);
    o.monitors.add(c);
    c.server.dispatcher.monitorCount = o.monitors.size;
    c.reply.ok();
  },
};
