/** The state SLOWLOG, LATENCY and MONITOR share, one object on the server (feature.ts installs it). */

import { ExtKey, getExt, setExt, type ClientContext, type ServerContext } from '../dispatch/context.js';
import { LatencyMonitor } from './latency.js';
import { SlowLog } from './slowlog.js';

export interface Observer {
  readonly slowlog: SlowLog;
  readonly latency: LatencyMonitor;
  readonly monitors: Set<ClientContext>;
}

const KEY = new ExtKey<Observer>('observe');

export function observer(server: ServerContext): Observer {
  let o = getExt(server.ext, KEY);
  if (o === undefined) {
    o = { slowlog: new SlowLog(), latency: new LatencyMonitor(), monitors: new Set() };
    setExt(server.ext, KEY, o);
  }
  return o;
}
