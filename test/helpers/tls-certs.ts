/**
 * Throwaway PKIs for TLS tests, made with the `openssl` command line in fresh temp dirs (as
 * Redis's utils/gen-test-certs.sh does); callers remove the dirs.
 *
 * - `makeTestPki()`: a CA, a server certificate for `localhost` and 127.0.0.1 (subjectAltName) and
 *   a client certificate (mutual TLS), EC P-256 keys (fast to make), valid for one day; `remove()`.
 * - `makeTestCerts()`: for the node's own TLS tests, also a second server pair from the same CA
 *   (certificate reload), the server key encrypted with a passphrase, and a client pair signed by
 *   another CA (which a node must refuse).
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HarnessError } from './harness-error.js';

export interface TestPki {
  dir: string;
  /** File paths (for redis-server's tls-* options). */
  files: { ca: string; serverCert: string; serverKey: string; clientCert: string; clientKey: string };
  /** PEM contents (for node:tls options). */
  ca: string;
  clientCert: string;
  clientKey: string;
  remove(): void;
}

/** Why TLS tests skip (no openssl), or null. */
export function opensslSkipReason(): string | null {
  return spawnSync('openssl', ['version']).status === 0 ? null : 'openssl is not installed (apt-get install openssl); skipping TLS tests';
}

function openssl(dir: string, args: string[]): void {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new HarnessError(`openssl ${args.join(' ')} failed: ${r.stderr}`);
}

/** Makes a key pair and a certificate for `cn` signed by the CA `ca` in `dir`, with `ext` extensions. */
function issue(dir: string, name: string, cn: string, ext: string, ca = 'ca'): void {
  openssl(dir, ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`]);
  writeFileSync(join(dir, `${name}.ext`), ext);
  openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.crt`, '-days', '1', '-extfile', `${name}.ext`]);
}

export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'ringcache-tls-'));
  try {
    openssl(dir, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=ringcache test CA']);
    issue(dir, 'server', 'localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    issue(dir, 'client', 'ringcache test client', 'extendedKeyUsage=clientAuth\n');
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const files = {
    ca: join(dir, 'ca.crt'),
    serverCert: join(dir, 'server.crt'),
    serverKey: join(dir, 'server.key'),
    clientCert: join(dir, 'client.crt'),
    clientKey: join(dir, 'client.key'),
  };
  return {
    dir,
    files,
    ca: readFileSync(files.ca, 'utf8'),
    clientCert: readFileSync(files.clientCert, 'utf8'),
    clientKey: readFileSync(files.clientKey, 'utf8'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface TestCerts {
  readonly dir: string;
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  /** Another server pair from the same CA (certificate reload). */
  readonly server2Cert: string;
  readonly server2Key: string;
  /** The server key encrypted with `keyPass`. */
  readonly serverKeyEncrypted: string;
  readonly keyPass: string;
  readonly clientCert: string;
  readonly clientKey: string;
  /** A client pair signed by a CA the node does not trust. */
  readonly rogueCert: string;
  readonly rogueKey: string;
}

/** A self-signed CA `name` in `dir`. */
function caPair(dir: string, name: string): void {
  openssl(dir, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '1', '-subj', `/CN=${name}`]);
}

function signed(dir: string, name: string, ca: string, usage: string): void {
  issue(dir, name, name, `subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=${usage}\n`, ca);
}

/** Makes the CA and certificates (a second or so of CPU). */
export function makeTestCerts(): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), 'ringcache-tls-'));
  caPair(dir, 'ca');
  caPair(dir, 'rogue-ca');
  signed(dir, 'server', 'ca', 'serverAuth, clientAuth');
  signed(dir, 'server2', 'ca', 'serverAuth, clientAuth');
  signed(dir, 'client', 'ca', 'clientAuth');
  signed(dir, 'rogue', 'rogue-ca', 'clientAuth');
  const keyPass = 'key-secret';
  openssl(dir, ['pkcs8', '-topk8', '-in', 'server.key', '-out', 'server-enc.key', '-passout', `pass:${keyPass}`]);
  const p = (f: string): string => join(dir, f);
  return {
    dir,
    ca: p('ca.crt'),
    serverCert: p('server.crt'),
    serverKey: p('server.key'),
    server2Cert: p('server2.crt'),
    server2Key: p('server2.key'),
    serverKeyEncrypted: p('server-enc.key'),
    keyPass,
    clientCert: p('client.crt'),
    clientKey: p('client.key'),
    rogueCert: p('rogue.crt'),
    rogueKey: p('rogue.key'),
  };
}
