/**
 * The metrics feature: `metrics-port` (0: off) and `metrics-bind` serve the node's Prometheus
 * metrics (node-metrics.ts) over HTTP (metrics-listener.ts). The endpoint opens at start-up
 * (a port it cannot bind stops the start, as the main port does), moves or closes on CONFIG SET
 * (which waits for it and is undone when the port cannot be bound) and closes at shutdown.
 *
 * While the port is 0 nothing is registered on the hot path: the dispatcher's duration sampling
 * is off (its countdown never reaches 0) and no registry exists.
 */

import { ConfigError } from '../../errors.js';
import type { FeatureHost, ServerFeature } from '../feature-contract.js';
import { DURATION_SAMPLE_EVERY, NodeMetrics } from './node-metrics.js';
import { MetricsListener } from './metrics-listener.js';

export const METRICS_FEATURE: ServerFeature = {
  name: 'metrics',
  install(host: FeatureHost) {
    let metrics: NodeMetrics | null = null;
    const listener = new MetricsListener(
      () => (metrics ??= new NodeMetrics(host)).render(),
      (message) => host.log.warning(message),
    );
    const d = host.dispatcher;
    d.hooks.sampleDuration = (spec, usec) => metrics?.observe(spec, usec);
    d.hooks.statsReset = () => metrics?.resetDurations();
    const apply = async (): Promise<string | null> => {
      const port = host.config.int('metrics-port');
      const err = await listener.apply(port, host.config.str('metrics-bind'));
      const on = listener.port !== 0;
      if (on) metrics ??= new NodeMetrics(host);
      d.setDurationSampling(on ? DURATION_SAMPLE_EVERY : 0);
      if (err === null && on) host.log.notice(`Metrics endpoint on http://${host.config.str('metrics-bind')}:${port}/metrics`);
      return err;
    };
    host.config.applyWith(['metrics-port', 'metrics-bind'], apply);
    host.onStart(async () => {
      if (host.config.int('metrics-port') === 0) return;
      const err = await apply();
      if (err !== null) throw new ConfigError(`metrics-port ${host.config.int('metrics-port')}: ${err}`);
    });
    host.onShutdown(() => listener.close());
  },
};
