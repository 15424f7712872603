/**
 * A throwaway PKI for TLS tests, made with the `openssl` command line in a fresh temp dir: a CA,
 * a server certificate for `localhost` and 127.0.0.1 (subjectAltName), and a client certificate
 * (mutual TLS), all signed by the CA. EC P-256 keys (fast to make), valid for one day.
 * `remove()` deletes the dir.
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

/** Makes a key pair and a certificate for `cn` signed by the CA in `dir`, with `ext` extensions. */
function issue(dir: string, name: string, cn: string, ext: string): void {
  openssl(dir, ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`]);
  writeFileSync(join(dir, `${name}.ext`), ext);
  openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '1', '-extfile', `${name}.ext`]);
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
