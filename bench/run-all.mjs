// `npm run bench`: every benchmark in turn, each printing ours vs the reference from one run.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
for (const file of ['ring.mjs', 'client.mjs', 'server-throughput.mjs', 'collections.mjs', 'eviction.mjs']) {
  console.log(`\n=== ${file}`);
  const r = spawnSync(process.execPath, [join(here, file)], { stdio: 'inherit' });
  if (r.status !== 0) process.exitCode = 1;
}
