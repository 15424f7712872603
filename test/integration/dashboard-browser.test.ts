/**
 * The dashboard in a real browser (Debian's chromium driven by puppeteer-core): `ringcache-fleet up
 * --dashboard-port 0` starts 2 shards × 1 replica, one Sentinel (quorum 1) and the dashboard; a client puts
 * load on the fleet; the page must show every node (labelled host:port and shard) and the ring's
 * shards, an ops/s figure above 0 that changes, and, after a shard master is SIGKILLed, the failover
 * in the timeline with the old master down and its replica promoted. Screenshots go to .tmp/
 * (dashboard.png before the kill, dashboard-failover.png after) as the test's artifacts.
 * A second test puts 64 scripted nodes (8 of them silent) behind the page: every row present, the
 * live ones' figures changing, and the page's cost per update (parse + DOM, #updated[data-ms])
 * printed.
 * Skipped with a message when no chromium binary is found. Bounded: every step has a deadline (the
 * first test at most ~85 s, typically ~15 s: fleet up 30, browser 10, page 5 + 10, figures 10,
 * failover 20), and
 * the browser, the client and every fleet process are stopped whatever happens.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, describe, expect, it } from 'vitest';
import { RingClient } from '../../src/client/ring-client.js';
import { openDashboard, type Dashboard } from '../../src/fleet/dashboard/index.js';
import { fromNodeList } from '../../src/fleet/dashboard/targets.js';
import type { FakeServer } from '../helpers/fake-resp-server.js';
import { fakeNode, silentNode, type FakeNode } from '../helpers/fake-nodes.js';
import { until } from '../helpers/poll.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FLEET_BIN = join(ROOT, 'dist', 'bin', 'ringcache-fleet.js');
const ARTIFACTS = join(ROOT, '.tmp');

function findChromium(): string | null {
  const candidates = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
  for (const c of candidates) if (c !== undefined && c !== '' && existsSync(c)) return c;
  return null;
}

const chromium = findChromium();
if (chromium === null) console.warn('dashboard browser tests skipped: no chromium binary (apt-get install chromium, or set CHROMIUM_PATH)');

const dir = mkdtempSync(join(tmpdir(), 'ringcache-dashboard-'));
let browser: Browser | null = null;
let client: RingClient | null = null;
let board: Dashboard | null = null;
/** The load loop runs while this is true (afterAll clears it too, should a test time out). */
let load = false;
let bump: NodeJS.Timeout | undefined;
const fakes: FakeServer[] = [];

function fleet(...args: string[]): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [FLEET_BIN, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

afterAll(async () => {
  load = false;
  clearInterval(bump);
  await browser?.close().catch(() => undefined);
  await board?.close();
  await Promise.all(fakes.map((f) => f.close()));
  await client?.close().catch(() => undefined);
  if (existsSync(join(dir, 'processes.json'))) fleet('down', '--dir', dir, '--purge');
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

/** The text of every node row's fields, keyed by host:port. */
function rows(page: Page): Promise<Record<string, Record<string, string>>> {
  return page.$$eval('tr[data-node]', (trs) => {
    const out: Record<string, Record<string, string>> = {};
    for (const tr of trs) {
      const cells: Record<string, string> = { up: tr.getAttribute('data-up') ?? '' };
      const tds = tr.querySelectorAll('td[data-field]');
      for (let i = 0; i < tds.length; i++) cells[tds[i]!.getAttribute('data-field')!] = (tds[i]!.textContent ?? '').trim();
      out[tr.getAttribute('data-node')!] = cells;
    }
    return out;
  });
}

const number = (text: string | undefined): number => Number((text ?? '').replace(/,/g, ''));

async function launch(): Promise<Browser> {
  browser ??= await puppeteer.launch({ executablePath: chromium!, headless: true, timeout: 10_000, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
  return browser;
}

describe.skipIf(chromium === null)('dashboard in chromium', () => {
  it('shows the fleet live and a failover in the timeline', async () => {
    const up = fleet('up', '--dir', dir, '--shards', '2', '--replicas', '1', '--sentinels', '1', '--base-port', '0', '--down-after-ms', '1000', '--failover-timeout-ms', '3000', '--dashboard-port', '0');
    expect(up.out).toContain('dashboard on');
    expect(up.code).toBe(0);
    const url = /dashboard on (\S+)/.exec(up.out)![1]!;
    const file = JSON.parse(readFileSync(join(dir, 'fleet.json'), 'utf8')) as { shards: { name: string; master: string; replicas: string[] }[]; sentinels: string[]; masters: string[] };
    const procs = JSON.parse(readFileSync(join(dir, 'processes.json'), 'utf8')) as { name: string; pid: number }[];

    client = new RingClient({ sentinels: file.sentinels, masters: file.masters, commandTimeoutMs: 1000 });
    const c = client;
    await c.set('hot:1', 'v'); // a node counts reads of keys that exist
    load = true;
    const loader = (async () => {
      for (let i = 0; load; i++) {
        await Promise.all([c.set(`key:${i % 200}`, String(i)), c.get('hot:1'), c.get('hot:1'), c.get(`key:${i % 50}`)]).catch(() => new Promise((r) => setTimeout(r, 50)));
      }
    })();

    try {
      const page = await (await launch()).newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (e) => pageErrors.push(String(e)));
      await page.setViewport({ width: 1400, height: 820 });
      await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 5_000 });

      const s1 = file.shards.find((s) => s.name === 's1')!;
      const all = file.shards.flatMap((s) => [s.master, ...s.replicas]);
      await until('every node on the page, up, with ops/s > 0 on the s1 master', async () => {
        const r = await rows(page);
        return all.every((a) => r[a]?.['up'] === 'true') && number(r[s1.master]?.['ops']) > 0;
      }, 10_000, 200);
      let r = await rows(page);
      for (const s of file.shards) {
        expect(r[s.master]).toMatchObject({ node: s.master, shard: s.name, role: 'master', state: 'up' });
        for (const a of s.replicas) expect(r[a]).toMatchObject({ shard: s.name, role: 'replica' });
      }
      // Hot keys: the node's top-K (RINGCACHE.HOTKEYS); the key read most is first on its shard.
      const hotShard = file.shards.find((s) => s.name === c.locate('hot:1'))!;
      expect(await page.$$eval('#ring-svg path[data-shard]', (ps) => ps.map((p) => p.getAttribute('data-shard')))).toEqual(['s1', 's2']);
      expect(await page.$$eval('#ring-legend li[data-shard]', (ls) => ls.length)).toBe(2);
      expect(await page.$eval('#sentinels', (e) => e.textContent)).toBe('Sentinels 1/1 up');

      const first = r[s1.master]!['ops'];
      await until('the ops/s figure changes and hot:1 leads its shard master\'s hot keys', async () => {
        const now = await rows(page);
        return now[s1.master]?.['ops'] !== first && (now[hotShard.master]?.['hotkeys'] ?? '').startsWith('hot:1 ');
      }, 10_000, 200);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png') });

      const pid = procs.find((p) => p.name === 's1-master')!.pid;
      process.kill(pid, 'SIGKILL');
      const promoted = s1.replicas[0]!;
      await until('the failover of s1 in the timeline, the old master down, its replica a master', async () => {
        const failover = await page.$$eval('#timeline li[data-kind="failover"]', (ls) => ls.map((l) => l.textContent ?? ''));
        r = await rows(page);
        return failover.some((t) => t.includes('s1')) && r[s1.master]?.['up'] === 'false' && r[promoted]?.['role'] === 'master';
      }, 20_000, 250);
      const down = await page.$$eval('#timeline li[data-kind="down"]', (ls) => ls.map((l) => l.getAttribute('data-node')));
      expect(down).toContain(s1.master);
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard-failover.png') });
      expect(pageErrors).toEqual([]);
    } finally {
      load = false;
      await loader;
    }
    // The dashboard is one of the fleet's processes: status shows it, down stops it.
    const st = JSON.parse(fleet('status', '--dir', dir, '--json').out) as { kind: string; alive: boolean }[];
    expect(st.filter((p) => p.kind === 'dashboard')).toEqual([expect.objectContaining({ alive: true })]);
    expect(fleet('down', '--dir', dir).code).toBe(0);
    await expect(fetch(url)).rejects.toThrow();
  }, 120_000);

  it('keeps up with 64 nodes, 8 of them silent', async () => {
    const nodes: FakeNode[] = Array.from({ length: 56 }, (_, i) => ({ role: 'master', total: 0, hot: [[`user:${i}`, 100], [`cart:${i}`, 20]], memory: 1_000_000 + i, keys: i }));
    const live = await Promise.all(nodes.map((n) => fakeNode(n, fakes)));
    const dead = await Promise.all(Array.from({ length: 8 }, () => silentNode(fakes)));
    const list = [...live, ...dead].map((f, i) => `n${String(i).padStart(2, '0')}=${f.address}`).join(',');
    bump = setInterval(() => nodes.forEach((n, i) => (n.total += 100 + ((i * 37 + Date.now()) % 500))), 250);
    try {
      board = await openDashboard(fromNodeList(list), { port: 0, intervalMs: 500, timeoutMs: 300 });
      const page = await (await launch()).newPage();
      await page.setViewport({ width: 1400, height: 820 });
      await page.goto(board.url, { waitUntil: 'domcontentloaded', timeout: 5_000 });
      await until('64 rows, 56 up with ops/s > 0', async () => {
        const r = Object.values(await rows(page));
        return r.length === 64 && r.filter((x) => x['up'] === 'true' && number(x['ops']) > 0).length === 56;
      }, 20_000, 200);
      expect(await page.$$eval('#ring-svg path[data-shard]', (ps) => ps.length)).toBe(64);
      expect(await page.$$eval('tr[data-up="false"]', (ts) => ts.length)).toBe(8);
      // The silent nodes' shards have no master up: their arcs are dimmed.
      expect(await page.$$eval('#ring-svg path[data-state="down"]', (ps) => ps.map((p) => p.getAttribute('data-shard')).sort())).toEqual(['n56', 'n57', 'n58', 'n59', 'n60', 'n61', 'n62', 'n63']);
      const costs: number[] = [];
      let last = '';
      await until('6 more updates', async () => {
        const ms = await page.$eval('#updated', (e) => `${e.getAttribute('data-ms')} ${e.textContent}`);
        if (ms !== last) {
          last = ms;
          costs.push(Number(ms.split(' ')[0]));
        }
        return costs.length > 6;
      }, 20_000, 50);
      costs.sort((a, b) => a - b);
      console.log(`dashboard page, 64 nodes: update cost (JSON parse + DOM) median ${costs[costs.length >> 1]} ms, max ${costs[costs.length - 1]} ms over ${costs.length} updates`);
      const hot = await page.$eval(`tr[data-node="${live[3]!.address}"] td[data-field="hotkeys"]`, (e) => e.textContent ?? '');
      expect(hot).toContain('user:3');
    } finally {
      clearInterval(bump);
    }
  }, 60_000);
});
