/**
 * A throw-away certificate authority made with the `openssl` command line, as Redis's own
 * utils/gen-test-certs.sh does: a CA, a server certificate (with an encrypted copy of its key), a
 * client certificate signed by the CA and one signed by another CA (which a node must refuse).
 * Everything is written into a temporary directory the caller removes.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HarnessError } from './harness-error.js';

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

/** Why TLS tests cannot run here (no openssl), or null. */
export function opensslSkipReason(): string | null {
  const r = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  return r.status === 0 ? null : 'openssl is not installed: TLS tests are skipped (install it with apt-get install openssl)';
}

function openssl(dir: string, args: string[]): void {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new HarnessError(`openssl ${args.join(' ')} failed: ${r.stderr}`);
}

function caPair(dir: string, name: string): void {
  openssl(dir, ['genrsa', '-out', `${name}.key`, '2048']);
  openssl(dir, ['req', '-x509', '-new', '-nodes', '-sha256', '-key', `${name}.key`, '-days', '2', '-subj', `/O=ringcache test/CN=${name}`, '-out', `${name}.crt`]);
}

function signed(dir: string, name: string, ca: string, usage: string): void {
  openssl(dir, ['genrsa', '-out', `${name}.key`, '2048']);
  writeFileSync(join(dir, `${name}.ext`), `keyUsage = digitalSignature, keyEncipherment\nextendedKeyUsage = ${usage}\nsubjectAltName = IP:127.0.0.1,DNS:localhost\n`);
  openssl(dir, ['req', '-new', '-sha256', '-key', `${name}.key`, '-subj', `/O=ringcache test/CN=${name}`, '-out', `${name}.csr`]);
  openssl(dir, ['x509', '-req', '-sha256', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.crt`]);
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
