// CPU per command of the node's dispatcher, in process (no sockets): SET/GET of 100-byte values
// over 1000 keys, `pipeline` commands per batch, replies discarded. Shared by bench:timing
// (command-timing.mjs) and bench:metrics (metrics-cost.mjs).

/** The SET/GET argvs the runs cycle through. */
export function setGetArgvs() {
  const argvs = [];
  for (let i = 0; i < 1000; i++) argvs.push(['SET', `key:${i}`, 'x'.repeat(100)], ['GET', `key:${i}`]);
  return argvs;
}

/** ns of this process's CPU per command over `count` commands on dispatcher `d` for client `c`. */
export function dispatchCpuNs({ d, c }, argvs, pipeline, count = 200_000) {
  const t0 = process.cpuUsage();
  for (let i = 0; i < count; i += pipeline) {
    d.beginBatch();
    for (let j = 0; j < pipeline; j++) d.execute(c, argvs[(i + j) % argvs.length]);
    d.endBatch();
    c.reply.discard();
  }
  const t = process.cpuUsage(t0);
  return ((t.user + t.system) * 1000) / count;
}
