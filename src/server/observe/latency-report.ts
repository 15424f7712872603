/**
 * LATENCY DOCTOR's report (Redis createLatencyReport): per event its spikes, average, mean
 * deviation and period, then the advice Redis gives for the events seen — word for word, for the
 * events ringcache records (`command`, `fast-command`, `expire-cycle`) and the anonymous huge
 * pages check.
 */

import { readFileSync } from 'node:fs';
import type { ServerContext } from '../dispatch/context.js';
import type { LatencyMonitor, LatencySeries } from './latency.js';

interface Stats {
  samples: number;
  avg: number;
  mad: number;
  period: number;
}

/** Redis analyzeLatencyForEvent. */
function analyze(ts: LatencySeries): Stats {
  const samples = ts.history();
  const st: Stats = { samples: samples.length, avg: 0, mad: 0, period: 0 };
  if (samples.length === 0) return st;
  let sum = 0;
  let oldest = 0;
  for (const s of samples) {
    sum += s.latency;
    if (oldest === 0 || s.time < oldest) oldest = s.time;
  }
  st.avg = Math.floor(sum / samples.length);
  st.period = Math.floor(Date.now() / 1000) - oldest || 1;
  let dev = 0;
  for (const s of samples) dev += Math.abs(st.avg - s.latency);
  st.mad = Math.floor(dev / samples.length);
  return st;
}

/** Anonymous huge pages of this process (Redis THPGetAnonHugePagesSize), 0 when unknown. */
function anonHugePages(): number {
  try {
    const m = /^AnonHugePages:\s+(\d+)/m.exec(readFileSync('/proc/self/smaps_rollup', 'utf8'));
    return m === null ? 0 : Number(m[1]);
  } catch {
    return 0;
  }
}

const ADVICE = {
  slowlogInspect:
    '- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n',
  scheduler:
    '- The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n' +
    '  1) Lower the system load.\n' +
    '  2) Use a computer / VM just for Redis if you are running other software in the same system.\n' +
    '  3) Check if you have a "noisy neighbour" problem.\n' +
    "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n" +
    '  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.\n',
  hz: "- In order to make the Redis keys expiring process more incremental, try to set the 'hz' configuration parameter to 100 using 'CONFIG SET hz 100'.\n",
  largeObjects:
    '- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n',
  thp: "- I detected a non zero amount of anonymous huge pages used by your process. This creates very serious latency events in different conditions, especially when Redis is persisting on disk. To disable THP support use the command 'echo never > /sys/kernel/mm/transparent_hugepage/enabled', make sure to also add it into /etc/rc.local so that the command will be executed again after a reboot. Note that even if you have already disabled THP, you still need to restart the Redis process to get rid of the huge pages already created.\n",
};

export function latencyReport(server: ServerContext, monitor: LatencyMonitor): string {
  if (monitor.events.size === 0 && monitor.thresholdMs === 0) {
    return 'I\'m sorry, Dave, I can\'t do that. Latency monitoring is disabled in this Redis instance. You may use "CONFIG SET latency-monitor-threshold <milliseconds>." in order to enable it. If we weren\'t in a deep space mission I\'d suggest to take a look at https://redis.io/topics/latency-monitor.\n';
  }
  const slowlog = server.config.int('slowlog-log-slower-than');
  const threshold = monitor.thresholdMs;
  const advise = { slowlogEnabled: false, slowlogTuning: false, slowlogInspect: false, scheduler: false, hz: false, largeObjects: false, thp: false };
  let advices = 0;
  let report = '';
  let n = 0;
  for (const [event, ts] of monitor.events) {
    n++;
    if (n === 1) report += "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n";
    const st = analyze(ts);
    report += `${n}. ${event}: ${st.samples} latency spikes (average ${st.avg}ms, mean deviation ${st.mad}ms, period ${(st.period / st.samples).toFixed(2)} sec). Worst all time event ${ts.max}ms.`;
    const name = event.toLowerCase();
    if (name === 'command') {
      if (slowlog < 0) {
        advise.slowlogEnabled = true;
        advices++;
      } else if (Math.floor(slowlog / 1000) > threshold) {
        advise.slowlogTuning = true;
        advices++;
      }
      advise.slowlogInspect = true;
      advise.largeObjects = true;
      advices += 2;
    } else if (name === 'fast-command') {
      advise.scheduler = true;
      advices++;
    } else if (name === 'expire-cycle') {
      advise.hz = true;
      advise.largeObjects = true;
      advices += 2;
    }
    report += '\n';
  }
  if (anonHugePages() > 0) {
    advise.thp = true;
    advices++;
  }
  if (n === 0 && advices === 0) {
    return report + "Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n";
  }
  if (n > 0 && advices === 0) {
    return report + '\nWhile there are latency events logged, I\'m not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n';
  }
  report += '\nI have a few advices for you:\n\n';
  if (advise.slowlogEnabled) {
    report += `- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than ${threshold * 1000}'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n`;
  }
  if (advise.slowlogTuning) {
    report += `- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than ${threshold * 1000}'.\n`;
  }
  if (advise.slowlogInspect) report += ADVICE.slowlogInspect;
  if (advise.scheduler) report += ADVICE.scheduler;
  if (advise.hz && server.config.int('hz') < 100) report += ADVICE.hz;
  if (advise.largeObjects) report += ADVICE.largeObjects;
  if (advise.thp) report += ADVICE.thp;
  return report;
}
