/**
 * The scripting recipes as runnable apps (examples/distributed-lock, rate-limiter, leaderboard):
 * each starts its own local fleet of ringcache-server nodes, checks its own results, and exits 0
 * only when every check held. Run here as a user would run them: `node examples/<app>/main.mjs`.
 */
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function runExample(name: string): Promise<{ code: number | null; output: string }> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [join(ROOT, 'examples', name, 'main.mjs')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      res({ code, output });
    });
  });
}

describe('example apps', () => {
  for (const name of ['distributed-lock', 'rate-limiter', 'leaderboard']) {
    it(`${name}/main.mjs runs and passes its checks`, async () => {
      const { code, output } = await runExample(name);
      expect(output, output).toMatch(/all checks passed/);
      expect(code, output).toBe(0);
    }, 180_000);
  }
});
