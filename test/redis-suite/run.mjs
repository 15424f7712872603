#!/usr/bin/env node
/**
 * Runs units of Redis's own Tcl test suite (the `tests/` tree of redis/redis at tag 7.0.15) in
 * external mode against a freshly started server, one server per unit, and prints the counts.
 * Not part of `npm test`: it needs the suite on disk and takes minutes.
 *
 *   node test/redis-suite/run.mjs --suite /path/to/extracted [--server ringcache|redis|both]
 *        [--timeout 300] unit/slowlog unit/type/string …
 *
 * Get the suite: fetch github:redis/redis, then
 *   git --git-dir=<mirror> archive 7.0.15 tests runtest utils | tar -x -C /path/to/extracted
 *
 * Both servers start with the same flags (DEBUG and protected configs enabled as in the suite's
 * default.conf, no persistence) in a temporary
 * directory, so nothing is written into the repository. A unit that does not finish within
 * --timeout seconds is reported as stalled; an [exception] ends a unit early (the suite's rule).
 */

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');

function parse(argv) {
  const o = { suite: process.env.REDIS_SUITE ?? '/work/redis-tests', server: 'ringcache', timeout: 300, units: [], verbose: false, extra: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--suite') o.suite = argv[++i];
    else if (a === '--server') o.server = argv[++i];
    else if (a === '--timeout') o.timeout = Number(argv[++i]);
    else if (a === '--verbose') o.verbose = true;
    else if (a === '--server-arg') o.extra.push(argv[++i]);
    else o.units.push(a);
  }
  return o;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const FLAGS = ['--save', '', '--appendonly', 'no', '--enable-debug-command', 'yes', '--enable-protected-configs', 'yes', '--bind', '127.0.0.1'];

function startServer(kind, port, dir, extra) {
  const args = ['--port', String(port), '--dir', dir, ...FLAGS, ...extra];
  const child =
    kind === 'redis'
      ? spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'ignore'] })
      : spawn(process.execPath, [join(repo, 'dist/bin/ringcache-server.js'), ...args], { stdio: ['ignore', 'ignore', 'ignore'] });
  return child;
}

async function waitPort(port, ms) {
  const { connect } = await import('node:net');
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const ok = await new Promise((r) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); r(true); });
      s.once('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server on ${port} did not start`);
}

async function runUnit(o, kind, unit) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'redis-suite-'));
  const server = startServer(kind, port, dir, o.extra);
  const result = { ok: 0, err: 0, exception: 0, skip: 0, stalled: false, failed: [] };
  try {
    await waitPort(port, 10_000);
    // The suite's own free-port probe binds 0.0.0.0 and misses a 127.0.0.1 listener of another run
    // (several runs share this machine), so each run draws its own port range, below the
    // ephemeral ports (32768+ on Linux: a busy machine's outgoing connections hold them).
    const baseport = 11000 + 64 * Math.floor(Math.random() * 300);
    const args = ['--host', '127.0.0.1', '--port', String(port), '--single', unit, '--clients', '1', '--timeout', String(o.timeout), '--baseport', String(baseport)];
    const t = spawn('./runtest', args, {
      cwd: o.suite,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buf = '';
    const onData = (d) => {
      buf += d.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        // eslint-disable-next-line no-control-regex
        const line = buf.slice(0, nl).replace(/\x1b\[[0-9;]*m/g, '');
        buf = buf.slice(nl + 1);
        if (o.verbose) process.stdout.write(`  ${line}\n`);
        if (line.startsWith('[ok]:')) result.ok++;
        else if (line.startsWith('[err]:')) { result.err++; result.failed.push(line); }
        else if (line.startsWith('[exception]:')) { result.exception++; result.failed.push(line); }
        else if (line.startsWith('[skip]:')) result.skip++;
      }
    };
    t.stdout.on('data', onData);
    t.stderr.on('data', onData);
    const timer = setTimeout(() => { result.stalled = true; t.kill('SIGKILL'); }, (o.timeout + 30) * 1000);
    await new Promise((r) => t.once('exit', r));
    clearTimeout(timer);
  } finally {
    server.kill('SIGKILL');
    await new Promise((r) => (server.exitCode !== null ? r() : server.once('exit', r)));
    rmSync(dir, { recursive: true, force: true });
  }
  return result;
}

const o = parse(process.argv.slice(2));
if (!existsSync(join(o.suite, 'runtest'))) {
  console.error(`no Redis test suite at ${o.suite} (see the header of this file)`);
  process.exit(2);
}
const kinds = o.server === 'both' ? ['redis', 'ringcache'] : [o.server];
const rows = [];
for (const unit of o.units) {
  const row = { unit };
  for (const kind of kinds) {
    const r = await runUnit(o, kind, unit);
    row[kind] = r;
    const tag = `${unit} on ${kind}`;
    console.log(`${tag}: ok ${r.ok}, err ${r.err}, exception ${r.exception}${r.stalled ? ', STALLED' : ''}`);
    if (kind === 'ringcache' || kinds.length === 1) for (const f of r.failed) console.log(`    ${f}`);
  }
  rows.push(row);
}
if (kinds.length === 2) {
  console.log('\nunit | redis ok | ringcache ok | share');
  let a = 0;
  let b = 0;
  for (const r of rows) {
    a += r.redis.ok;
    b += r.ringcache.ok;
    console.log(`${r.unit} | ${r.redis.ok} | ${r.ringcache.ok}${r.ringcache.stalled ? ' (stalled)' : ''} | ${r.redis.ok ? ((100 * r.ringcache.ok) / r.redis.ok).toFixed(0) : '-'}%`);
  }
  console.log(`total | ${a} | ${b} | ${a ? ((100 * b) / a).toFixed(0) : '-'}%`);
}
