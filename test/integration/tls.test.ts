/**
 * TLS on the real binary with an openssl-made CA: redis-cli --tls against a TLS-only node (port
 * 0) that refuses plain TCP; mutual TLS (tls-auth-clients yes: no certificate or a foreign CA's is
 * refused and logged once per source; optional: no certificate is fine); an encrypted key with
 * tls-key-file-pass; bad certificate paths or passwords stop the start with exit code 1; CONFIG
 * SET tls-cert-file reloads the certificate for new connections (a bad one is refused and changes
 * nothing); ioredis over TLS; a replica syncing over TLS (tls-replication); redis-sentinel
 * monitoring a TLS node.
 */

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { failedStart, freePort, hasSentinel, launch, startRingcache, type ServerProcess } from '../helpers/processes.js';
import { until } from '../helpers/poll.js';
import { makeTestCerts, opensslSkipReason, type TestCerts } from '../helpers/tls-certs.js';

const skip = opensslSkipReason();
if (skip !== null) console.warn(skip);

const servers: ServerProcess[] = [];
let certs: TestCerts;

afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

function tlsArgs(extra: Record<string, string | number> = {}): Record<string, string | number> {
  return { 'tls-cert-file': certs.serverCert, 'tls-key-file': certs.serverKey, 'tls-ca-cert-file': certs.ca, ...extra };
}

/** A TLS-only node: `port 0` and a `tls-port`. */
async function tlsNode(extra: Record<string, string | number> = {}): Promise<{ srv: ServerProcess; tlsPort: number }> {
  const tlsPort = await freePort();
  const srv = await startRingcache({ port: 0, args: tlsArgs({ 'tls-port': tlsPort, ...extra }) });
  servers.push(srv);
  return { srv, tlsPort };
}

function cli(port: number, args: string[], client: 'good' | 'none' | 'rogue' = 'good'): { out: string; status: number | null } {
  const id = client === 'good' ? ['--cert', certs.clientCert, '--key', certs.clientKey] : client === 'rogue' ? ['--cert', certs.rogueCert, '--key', certs.rogueKey] : [];
  const r = spawnSync('redis-cli', ['--tls', '--cacert', certs.ca, ...id, '-p', String(port), ...args], { encoding: 'utf8', timeout: 10_000 });
  return { out: (r.stdout + r.stderr).trim(), status: r.status };
}

/** The CN of the certificate a TLS server presents. */
function peerName(port: number): Promise<string> {
  return new Promise((res, rej) => {
    const s = tls.connect({ port, host: '127.0.0.1', ca: [readFileSync(certs.ca)], cert: readFileSync(certs.clientCert), key: readFileSync(certs.clientKey), checkServerIdentity: () => undefined }, () => {
      const cn = s.getPeerCertificate().subject.CN;
      s.destroy();
      res(Array.isArray(cn) ? cn.join(',') : String(cn));
    });
    s.once('error', rej);
  });
}

describe.skipIf(skip !== null)('TLS on ringcache-server', () => {
  beforeAll(() => {
    certs = makeTestCerts();
  });
  afterAll(() => {
    if (certs !== undefined) rmSync(certs.dir, { recursive: true, force: true });
  });

  it('TLS only (port 0): redis-cli --tls works, plain TCP is refused', async () => {
    const { tlsPort } = await tlsNode({ 'tls-auth-clients': 'no' });
    expect(cli(tlsPort, ['SET', 'k', 'v'], 'none').out).toBe('OK');
    expect(cli(tlsPort, ['GET', 'k'], 'none').out).toBe('v');
    expect(cli(tlsPort, ['CONFIG', 'GET', 'port'], 'none').out).toBe('port\n0');
    // Plain RESP on the TLS port gets no reply: the handshake fails and the connection closes.
    const plain = spawnSync('redis-cli', ['-p', String(tlsPort), 'PING'], { encoding: 'utf8', timeout: 10_000 });
    expect(plain.stdout + plain.stderr).not.toContain('PONG');
  });

  it('mutual TLS: yes refuses clients without a trusted certificate (logged once per source); optional accepts them', async () => {
    const { srv, tlsPort } = await tlsNode();
    expect(cli(tlsPort, ['PING']).out).toBe('PONG');
    expect(cli(tlsPort, ['PING'], 'none').out).not.toContain('PONG');
    expect(cli(tlsPort, ['PING'], 'rogue').out).not.toContain('PONG');
    expect(cli(tlsPort, ['PING'], 'none').out).not.toContain('PONG');
    expect(cli(tlsPort, ['PING']).out).toBe('PONG');
    // spawnSync held this process's event loop: read the node's output now.
    await srv.waitFor(/Error accepting a client connection/);
    await new Promise((r) => setTimeout(r, 200));
    expect(srv.output().match(/Error accepting a client connection/g)?.length).toBe(1);

    // optional, with the CA from a directory (tls-ca-cert-dir) instead of a file.
    const caDir = join(certs.dir, 'cadir');
    mkdirSync(caDir);
    copyFileSync(certs.ca, join(caDir, 'ca.pem'));
    const opt = await tlsNode({ 'tls-auth-clients': 'optional', 'tls-ca-cert-file': '', 'tls-ca-cert-dir': caDir });
    expect(cli(opt.tlsPort, ['PING'], 'none').out).toBe('PONG');
    expect(cli(opt.tlsPort, ['PING']).out).toBe('PONG');
  });

  it('an encrypted key with tls-key-file-pass; bad paths or passwords stop the start with exit code 1', async () => {
    const { tlsPort } = await tlsNode({ 'tls-key-file': certs.serverKeyEncrypted, 'tls-key-file-pass': certs.keyPass });
    expect(cli(tlsPort, ['PING']).out).toBe('PONG');
    const tlsPortArg = String(await freePort());
    const common = ['--tls-port', tlsPortArg, '--tls-cert-file', certs.serverCert, '--tls-ca-cert-file', certs.ca];
    const missing = await failedStart([...common, '--tls-key-file', join(certs.dir, 'nope.key')]);
    expect(missing.code).toBe(1);
    expect(missing.out).toMatch(/Failed to load private key: .*nope\.key/);
    const wrongPass = await failedStart([...common, '--tls-key-file', certs.serverKeyEncrypted, '--tls-key-file-pass', 'wrong']);
    expect(wrongPass.code).toBe(1);
    expect(wrongPass.out).toMatch(/Failed to load certificate, key or ciphers/);
    const noCa = await failedStart(['--tls-port', tlsPortArg, '--tls-cert-file', certs.serverCert, '--tls-key-file', certs.serverKey]);
    expect(noCa.code).toBe(1);
    expect(noCa.out).toContain('Either tls-ca-cert-file or tls-ca-cert-dir must be specified');
  });

  it('CONFIG SET tls-cert-file reloads the certificate for new connections; a bad one changes nothing', async () => {
    const { tlsPort } = await tlsNode();
    expect(await peerName(tlsPort)).toBe('server');
    expect(cli(tlsPort, ['CONFIG', 'SET', 'tls-cert-file', join(certs.dir, 'missing.crt')]).out).toBe(
      "ERR CONFIG SET failed (possibly related to argument 'tls-cert-file') - Unable to update TLS configuration. Check server logs.",
    );
    expect(await peerName(tlsPort)).toBe('server');
    expect(cli(tlsPort, ['CONFIG', 'SET', 'tls-cert-file', certs.server2Cert, 'tls-key-file', certs.server2Key]).out).toBe('OK');
    expect(await peerName(tlsPort)).toBe('server2');
  });

  it('CONFIG SET tls-port moves the TLS listener', async () => {
    const { tlsPort } = await tlsNode();
    const moved = await freePort();
    expect(cli(tlsPort, ['CONFIG', 'SET', 'tls-port', String(moved)]).out).toBe('OK');
    expect(cli(moved, ['PING']).out).toBe('PONG');
    expect(cli(tlsPort, ['PING']).out).not.toContain('PONG');
  });

  it('ioredis over TLS with a client certificate', async () => {
    const { tlsPort } = await tlsNode();
    const read = (f: string): Buffer => readFileSync(f);
    const r = new Redis({ port: tlsPort, host: '127.0.0.1', lazyConnect: true, tls: { ca: read(certs.ca), cert: read(certs.clientCert), key: read(certs.clientKey), checkServerIdentity: () => undefined } });
    try {
      await r.connect();
      expect(await r.set('io', 'tls')).toBe('OK');
      expect(await r.get('io')).toBe('tls');
    } finally {
      r.disconnect();
    }
  });

  it('node-redis and redis-benchmark --tls', async () => {
    const { tlsPort } = await tlsNode();
    const read = (f: string): Buffer => readFileSync(f);
    const client = createClient({ socket: { host: '127.0.0.1', port: tlsPort, tls: true, ca: read(certs.ca), cert: read(certs.clientCert), key: read(certs.clientKey), checkServerIdentity: () => undefined } });
    await client.connect();
    try {
      expect(await client.set('nr', 'tls')).toBe('OK');
      expect(await client.get('nr')).toBe('tls');
    } finally {
      await client.quit();
    }
    const bench = spawnSync(
      'redis-benchmark',
      ['--tls', '--cacert', certs.ca, '--cert', certs.clientCert, '--key', certs.clientKey, '-p', String(tlsPort), '-t', 'set,get', '-n', '2000', '-c', '4', '--csv'],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(bench.status).toBe(0);
    expect(bench.stdout).toMatch(/"SET","\d/);
    expect(bench.stdout).toMatch(/"GET","\d/);
  });

  it('a replica syncs over TLS (tls-replication)', async () => {
    const master = await tlsNode();
    expect(cli(master.tlsPort, ['SET', 'before', '1']).out).toBe('OK');
    const replica = await tlsNode({ 'tls-replication': 'yes', replicaof: `127.0.0.1 ${master.tlsPort}` });
    await until('the replica to sync', () => cli(replica.tlsPort, ['GET', 'before']).out === '1', 20_000, 100);
    expect(cli(master.tlsPort, ['SET', 'after', '2']).out).toBe('OK');
    await until('the stream to arrive', () => cli(replica.tlsPort, ['GET', 'after']).out === '2', 20_000, 100);
    expect(cli(master.tlsPort, ['INFO', 'replication']).out).toMatch(new RegExp(`slave0:ip=127\\.0\\.0\\.1,port=${replica.tlsPort},state=online`));
  });

  it.skipIf(!hasSentinel())('redis-sentinel monitors a TLS node', async () => {
    const master = await tlsNode();
    const replica = await tlsNode({ 'tls-replication': 'yes', replicaof: `127.0.0.1 ${master.tlsPort}` });
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'sentinel-tls-'));
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(
      conf,
      [
        'port 0',
        `tls-port ${port}`,
        `tls-cert-file ${certs.serverCert}`,
        `tls-key-file ${certs.serverKey}`,
        `tls-ca-cert-file ${certs.ca}`,
        'tls-replication yes',
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor m 127.0.0.1 ${master.tlsPort} 1`,
        'sentinel down-after-milliseconds m 2000',
      ].join('\n') + '\n',
    );
    const sentinel = await launch('redis-sentinel', [conf], port, dir, /\+monitor master m /, {});
    servers.push(sentinel);
    await until('Sentinel to see the replica', () => /num-slaves\n1\n/.test(cli(port, ['SENTINEL', 'MASTER', 'm']).out), 20_000, 100);
    const info = cli(port, ['SENTINEL', 'MASTER', 'm']).out;
    expect(info).toMatch(/flags\nmaster\n/);
    expect(cli(port, ['SENTINEL', 'REPLICAS', 'm']).out).toContain(String(replica.tlsPort));
  });
});
