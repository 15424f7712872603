/**
 * TLS against real redis-server started with `--port 0 --tls-port` and a CA, server and client
 * certificates made by the test with openssl (test/helpers/tls-certs.ts): one-way TLS (rediss://
 * by name, and client-wide `tls` by IP), mutual TLS (`--tls-auth-clients yes`: refused without a
 * client certificate, served with one), per-shard TLS next to a plain shard, a certificate the
 * client does not trust (ERR_SHARD_DOWN, the TLS error as `cause`, an 'error' event), SNI (a
 * node:tls server records the name the client sent), and a TLS-only, password-protected Sentinel.
 */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RingClient } from '../../src/client/ring-client.js';
import type { RingClientOptions } from '../../src/client/options.js';
import { freePort, redisSkipReason, startRedis, type ServerProcess } from '../helpers/processes.js';
import { sentinelSkipReason, startSentinelFleet } from '../helpers/sentinel.js';
import { makeTestPki, opensslSkipReason, type TestPki } from '../helpers/tls-certs.js';

const skip = redisSkipReason() ?? opensslSkipReason();
if (skip !== null) console.warn(skip);

/** redis-server listening with TLS only on a free port. */
async function startTlsRedis(pki: TestPki, authClients: 'yes' | 'no', extra: Record<string, string | number> = {}): Promise<ServerProcess> {
  const port = await freePort();
  return startRedis({
    port,
    args: {
      port: 0,
      'tls-port': port,
      'tls-cert-file': pki.files.serverCert,
      'tls-key-file': pki.files.serverKey,
      'tls-ca-cert-file': pki.files.ca,
      'tls-auth-clients': authClients,
      ...extra,
    },
  });
}

describe.skipIf(skip !== null)('TLS to redis-server', () => {
  let pki: TestPki;
  let oneWay: ServerProcess;
  let mutual: ServerProcess;
  let plain: ServerProcess;
  const clients: RingClient[] = [];
  const track = (c: RingClient): RingClient => (clients.push(c), c);

  beforeAll(async () => {
    pki = makeTestPki();
    [oneWay, mutual, plain] = await Promise.all([startTlsRedis(pki, 'no', { requirepass: 'tls-pw' }), startTlsRedis(pki, 'yes'), startRedis()]);
  });
  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    await Promise.allSettled([oneWay, mutual, plain].map((p) => p?.stop()));
    pki?.remove();
  });

  it('one-way TLS: rediss:// by host name (SNI localhost, certificate checked) with a password, and client-wide tls by IP', async () => {
    const byName = track(new RingClient({ shards: [{ name: 'a', master: `rediss://:tls-pw@localhost:${oneWay.port}/1` }], tls: { ca: pki.ca }, commandTimeoutMs: 5000 }));
    expect(await byName.set('k', 'over tls')).toBe('OK');
    expect(await byName.get('k')).toBe('over tls');
    const byIp = track(new RingClient({ shards: [{ name: 'a', master: `127.0.0.1:${oneWay.port}` }], tls: { ca: pki.ca }, password: 'tls-pw', db: 1, commandTimeoutMs: 5000 }));
    expect(await byIp.get('k')).toBe('over tls');
    expect(await byIp.mget(['k', 'missing'])).toEqual(['over tls', null]);
  });

  it('mutual TLS: refused without a client certificate, served with one', async () => {
    const noCert = track(new RingClient({ shards: [{ name: 'm', master: `rediss://localhost:${mutual.port}` }], tls: { ca: pki.ca }, commandTimeoutMs: 60_000 }));
    await expect(noCert.get('k')).rejects.toMatchObject({ code: 'ERR_SHARD_DOWN', shard: 'm' });
    const withCert = track(
      new RingClient({ shards: [{ name: 'm', master: `rediss://localhost:${mutual.port}` }], tls: { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey }, commandTimeoutMs: 5000 }),
    );
    expect(await withCert.set('mk', 'mutual')).toBe('OK');
    expect(await withCert.get('mk')).toBe('mutual');
  });

  it('per-shard TLS next to a plain shard; fan-out spans both', async () => {
    const c = track(
      new RingClient({
        shards: [
          { name: 'secure', master: `127.0.0.1:${mutual.port}`, tls: { ca: pki.ca, cert: readFileSync(pki.files.clientCert), key: readFileSync(pki.files.clientKey) } },
          { name: 'plain', master: `127.0.0.1:${plain.port}` },
        ],
        commandTimeoutMs: 5000,
      }),
    );
    const keys = Array.from({ length: 20 }, (_, i) => `mix:${i}`);
    expect(new Set(keys.map((k) => c.locate(k)))).toEqual(new Set(['secure', 'plain']));
    await c.mset(Object.fromEntries(keys.map((k) => [k, k])));
    expect(await c.mget(keys)).toEqual(keys);
    expect(await c.dbsize()).toBeGreaterThanOrEqual(20);
  });

  it('an untrusted certificate: ERR_SHARD_DOWN whose cause is the TLS error, and an error event', async () => {
    const c = track(new RingClient({ shards: [{ name: 'u', master: `rediss://localhost:${oneWay.port}` }], commandTimeoutMs: 60_000 }));
    const errors: Error[] = [];
    c.on('error', (e) => errors.push(e));
    const err = (await c.get('k').catch((e: unknown) => e)) as Error & { cause?: Error & { code?: string } };
    expect(err).toMatchObject({ code: 'ERR_SHARD_DOWN', shard: 'u' });
    expect(err.cause?.code).toMatch(/CERT|VERIFY|SIGNATURE/);
    expect(errors[0]).toMatchObject({ code: 'ERR_SHARD_DOWN' });
    expect((errors[0]!.cause as { code?: string }).code).toBe(err.cause?.code);
  });
});

describe.skipIf(opensslSkipReason() !== null)('SNI', () => {
  it('sends the host name as the server name, never an IP; tls.servername overrides it', async () => {
    const pki = makeTestPki();
    const seen: (string | false)[] = [];
    const server = tls.createServer({ key: readFileSync(pki.files.serverKey), cert: readFileSync(pki.files.serverCert) }, (socket) => {
      seen.push((socket as tls.TLSSocket & { servername: string | false }).servername);
      socket.destroy();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as { port: number }).port;
    // Made one at a time: a client starts connecting at construction.
    const configs: RingClientOptions[] = [
      { shards: [{ name: 'a', master: `rediss://localhost:${port}` }], tls: { ca: pki.ca }, commandTimeoutMs: 60_000 },
      { shards: [{ name: 'a', master: `127.0.0.1:${port}` }], tls: { ca: pki.ca }, commandTimeoutMs: 60_000 },
      { shards: [{ name: 'a', master: `127.0.0.1:${port}` }], tls: { ca: pki.ca, servername: 'localhost' }, commandTimeoutMs: 60_000 },
    ];
    const clients: RingClient[] = [];
    try {
      for (const options of configs) {
        const before = seen.length;
        const c = new RingClient(options);
        clients.push(c);
        await c.get('k').catch(() => undefined);
        await c.close();
        expect(seen.length).toBeGreaterThan(before);
      }
      expect(seen.length).toBeGreaterThanOrEqual(3);
      expect(new Set(seen)).toEqual(new Set(['localhost', false]));
      expect(seen[0]).toBe('localhost');
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      server.close();
      pki.remove();
    }
  });
});

describe.skipIf(skip !== null || sentinelSkipReason() !== null)('TLS and ACL credentials to Sentinel', () => {
  it('discovers the masters through a TLS-only Sentinel that needs a user and password', async () => {
    const pki = makeTestPki();
    const fleet = await startSentinelFleet({
      masters: ['s1'],
      replicas: 0,
      sentinels: 1,
      quorum: 1,
      sentinelTls: { cert: pki.files.serverCert, key: pki.files.serverKey, ca: pki.files.ca },
      sentinelConf: ['user default off', 'user sam on >sam-pw allchannels +@all'],
    });
    try {
      const wrong = await RingClient.connect({
        sentinels: [`rediss://localhost:${fleet.sentinels[0]!.port}`],
        masters: ['s1'],
        sentinelTls: { ca: pki.ca },
        sentinelUsername: 'sam',
        sentinelPassword: 'nope',
        connectTimeoutMs: 1500,
      }).catch((e: unknown) => e);
      expect(wrong).toMatchObject({ code: 'ERR_SENTINEL' });
      const c = await RingClient.connect({
        sentinels: [`rediss://localhost:${fleet.sentinels[0]!.port}`],
        masters: ['s1'],
        sentinelTls: { ca: pki.ca },
        sentinelUsername: 'sam',
        sentinelPassword: 'sam-pw',
        connectTimeoutMs: 10_000,
      });
      try {
        expect(c.topology().shards.get('s1')!.master).toBe(`127.0.0.1:${fleet.masters.get('s1')!.port}`);
        expect(await c.set('k', 'via tls sentinel')).toBe('OK');
        expect(await c.get('k')).toBe('via tls sentinel');
      } finally {
        await c.close();
      }
    } finally {
      await fleet.stop();
      pki.remove();
    }
  });
});
