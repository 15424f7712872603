/**
 * The observation feature: SLOWLOG, LATENCY and MONITOR share one state object (state.ts) and
 * one dispatcher hook each. The dispatcher times every call and hands this feature the calls at
 * or over `observeAboveUs` (the lower of the two thresholds, Infinity when both are off), so a
 * command costs one comparison while nobody observes; MONITOR costs one check of `monitorCount`.
 */

import { Flag } from '../../commands/flags.js';
import { ClientFlag, type ClientContext, type ServerContext } from '../dispatch/context.js';
import type { FeatureHost, ServerFeature } from '../feature-contract.js';
import { feedMonitors } from './monitor.js';
import { observer, type Observer } from './state.js';

function thresholdUs(o: Observer): number {
  const slow = o.slowlog.slowerThan < 0 ? Infinity : o.slowlog.slowerThan;
  const latency = o.latency.thresholdMs === 0 ? Infinity : o.latency.thresholdMs * 1000;
  return Math.min(slow, latency);
}

function stopMonitoring(server: ServerContext, o: Observer, c: ClientContext): void {
  if (!o.monitors.delete(c)) return;
  c.flags &= ~ClientFlag.MONITOR;
  server.dispatcher.monitorCount = o.monitors.size;
}

export const OBSERVE_FEATURE: ServerFeature = {
  name: 'observe',
  install(host: FeatureHost) {
    const o = observer(host);
    const d = host.dispatcher;
    host.config.watch('slowlog-log-slower-than', (v) => {
      o.slowlog.slowerThan = Number(v);
      d.observeAboveUs = thresholdUs(o);
    });
    host.config.watch('slowlog-max-len', (v) => {
      o.slowlog.maxLen = Number(v);
      o.slowlog.trim();
    });
    host.config.watch('latency-tracking', (v) => (d.latencyTracking = v === true));
    host.config.watch('latency-monitor-threshold', (v) => {
      o.latency.thresholdMs = Number(v);
      d.observeAboveUs = thresholdUs(o);
    });
    d.hooks.observe = (c, spec, argv, usec) => {
      o.latency.addIfNeeded(spec.flags & Flag.FAST ? 'fast-command' : 'command', usec / 1000);
      o.slowlog.push(c, spec, argv, usec);
    };
    d.hooks.monitor = (c, argv) => feedMonitors(host, c, argv);
    host.onClientClose((c) => stopMonitoring(host, o, c));
    host.onClientReset((c) => stopMonitoring(host, o, c));
  },
};
