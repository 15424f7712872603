/**
 * Both module systems load the package by its name (package.json `exports`, resolved from inside
 * the package as an installed copy would be): `require('ringcache')` and `require('ringcache/server')`
 * from CommonJS (Node ≥ 20.19 loads the ES modules through require), `import` from ESM. Each child
 * process embeds a node with ringcache/server, talks to it with RingClient, and prints what it
 * saw; CommonJS and ESM get the very same classes (one module instance: no dual-package hazard).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
const DIR = join(ROOT, '.tmp', 'module-systems');

const CJS = `
const { RingClient, ConfigError, RingcacheError } = require('ringcache');
const { createServer } = require('ringcache/server');
const { KeyvRingcache } = require('ringcache/keyv');
(async () => {
  const server = createServer({ config: { port: 0, bind: '127.0.0.1', save: '' }, logSink: () => {} });
  const port = await server.listen();
  const client = await RingClient.connect({ shards: [{ name: 'a', master: '127.0.0.1:' + port }] });
  await client.set('k', 'from cjs');
  const value = await client.get('k');
  await client.close();
  await server.close();
  let code = null;
  try { new RingClient({}); } catch (e) { code = e instanceof ConfigError && e instanceof RingcacheError ? e.code : 'wrong class'; }
  const esm = await import('ringcache');
  console.log(JSON.stringify({ value, code, same: esm.RingClient === RingClient, keyv: typeof KeyvRingcache, typeofRequire: typeof require }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

const ESM = `
import { RingClient, ConfigError } from 'ringcache';
import { createServer } from 'ringcache/server';
const server = createServer({ config: { port: 0, bind: '127.0.0.1', save: '' }, logSink: () => {} });
const port = await server.listen();
const client = await RingClient.connect({ shards: [{ name: 'a', master: '127.0.0.1:' + port }] });
await client.set('k', 'from esm');
const value = await client.get('k');
await client.close();
await server.close();
let code = null;
try { new RingClient({}); } catch (e) { code = e instanceof ConfigError ? e.code : 'wrong class'; }
console.log(JSON.stringify({ value, code, typeofRequire: typeof require }));
`;

function run(file: string, source: string): { out: Record<string, unknown>; stderr: string } {
  mkdirSync(DIR, { recursive: true });
  const path = join(DIR, file);
  writeFileSync(path, source);
  const r = spawnSync(process.execPath, [path], { cwd: DIR, encoding: 'utf8', timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  return { out: JSON.parse(last) as Record<string, unknown>, stderr: r.stderr };
}

describe('module systems', () => {
  it("CommonJS: require('ringcache'), require('ringcache/server') and require('ringcache/keyv') work, with the same classes as import", () => {
    const { out, stderr } = run('client.cjs', CJS);
    expect(out).toEqual({ value: 'from cjs', code: 'ERR_CONFIG', same: true, keyv: 'function', typeofRequire: 'function' });
    expect(stderr).not.toMatch(/ExperimentalWarning/);
  });

  it("ESM: import from 'ringcache' and 'ringcache/server'", () => {
    const { out } = run('client.mjs', ESM);
    expect(out).toEqual({ value: 'from esm', code: 'ERR_CONFIG', typeofRequire: 'undefined' });
  });
});
