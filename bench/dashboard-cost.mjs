// `npm run bench:dashboard`: what the fleet dashboard costs to run. No reference to compare with:
// it prints the dashboard's own CPU share and memory while it watches BENCH_NODES scripted nodes
// (default 64; each answers INFO with a growing command count and RINGCACHE.HOTKEYS with 10 keys)
// at one poll a second with BENCH_PAGES pages (default 1) following /events, over BENCH_SECONDS
// (default 20) after a 3 s warm-up. The scripted nodes run in the same process, so their
// answering cost is included: an upper bound. Quote it with the load average.
import http from 'node:http';
import net from 'node:net';
import { loadavg } from 'node:os';
import { fromNodeList, openDashboard } from '../dist/fleet/dashboard/index.js';

const NODES = Number(process.env.BENCH_NODES ?? 64);
const PAGES = Number(process.env.BENCH_PAGES ?? 1);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);

const bulk = (s) => `$${Buffer.byteLength(s)}\r\n${s}\r\n`;
function info(i, total) {
  return bulk(['role:master', `total_commands_processed:${total}`, 'used_memory:123456', 'connected_clients:5',
    'keyspace_hits:10', 'keyspace_misses:2', 'master_repl_offset:100', `db0:keys=${i},expires=0,avg_ttl=0`].join('\r\n'));
}
function hotKeys(i) {
  const pairs = Array.from({ length: 10 }, (_, k) => `*2\r\n${bulk(`key:${i}:${k}`)}:${100 - k}\r\n`);
  return `*10\r\n${pairs.join('')}`;
}

const servers = [];
for (let i = 0; i < NODES; i++) {
  let total = 0;
  const s = net.createServer((sock) => sock.on('data', (d) => {
    const t = d.toString();
    let out = '';
    if (t.includes('INFO')) out += info(i, (total += 1000));
    if (t.includes('HOTKEYS')) out += hotKeys(i);
    sock.write(out);
  }));
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  servers.push(s);
}
const board = await openDashboard(fromNodeList(servers.map((s, i) => `n${i}=127.0.0.1:${s.address().port}`).join(',')), { port: 0 });
const pages = [];
for (let p = 0; p < PAGES; p++) pages.push(http.get(`${board.url}events`, (res) => res.resume()));
await new Promise((r) => setTimeout(r, 3000));
const up = board.collector.snapshot().nodes.filter((n) => n.up).length;
const c0 = process.cpuUsage();
const t0 = Date.now();
await new Promise((r) => setTimeout(r, SECONDS * 1000));
const cpu = process.cpuUsage(c0);
const secs = (Date.now() - t0) / 1000;
const ms = (us) => (us / 1000 / secs).toFixed(1);
console.log(`dashboard watching ${NODES} nodes (${up} up), ${PAGES} page(s), ${secs.toFixed(0)} s: ` +
  `${(((cpu.user + cpu.system) / 1e6 / secs) * 100).toFixed(1)}% of one core (user ${ms(cpu.user)} ms/s, system ${ms(cpu.system)} ms/s), ` +
  `rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const p of pages) p.destroy();
await board.close();
await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
