// Child process for bench/staleness.mjs: writes `<seq>:<wall clock ms>` to one key every
// INTERVAL ms, COUNT times, through its own RingClient (no local cache), then exits.
import { RingClient } from '../../dist/index.js';

const [port, key, count, interval] = process.argv.slice(2);
const client = new RingClient({ shards: [{ name: 'a', master: `127.0.0.1:${port}` }] });
await client.ping();
process.send?.('ready');
await new Promise((r) => process.once('message', r));
for (let seq = 1; seq <= Number(count); seq++) {
  await new Promise((r) => setTimeout(r, Number(interval)));
  await client.set(key, `${seq}:${performance.timeOrigin + performance.now()}`);
}
await client.close();
