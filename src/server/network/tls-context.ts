/**
 * TLS settings from Redis's config names (Redis tlsConfigure): the server side (`tls-cert-file`,
 * `tls-key-file` + `tls-key-file-pass`, `tls-ca-cert-file`/`tls-ca-cert-dir`, `tls-auth-clients`,
 * `tls-protocols`, `tls-ciphers`, `tls-ciphersuites`, `tls-prefer-server-ciphers`,
 * `tls-dh-params-file`, session cache) and the client side the replica link uses
 * (`tls-client-cert-file`/`tls-client-key-file`, falling back to the server's pair, as Redis).
 *
 * Invariants: building is all or nothing — every file is read and the context created before
 * anything is returned, so a bad file or password leaves the running context as it was (CONFIG
 * SET) or fails the start with a clear message (ConfigError); peers' certificates are checked
 * against the configured CAs, host names are not (Redis does not check them either).
 */

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import tls from 'node:tls';
import { ConfigError } from '../../errors.js';
import type { ServerConfig } from '../config.js';

const PROTOCOLS: Readonly<Record<string, tls.SecureVersion>> = {
  tlsv1: 'TLSv1',
  'tlsv1.1': 'TLSv1.1',
  'tlsv1.2': 'TLSv1.2',
  'tlsv1.3': 'TLSv1.3',
};
const ORDER: readonly tls.SecureVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

/** Is TLS in use at all (a TLS port, or the replica link over TLS)? */
export function tlsEnabled(cfg: ServerConfig): boolean {
  return cfg.int('tls-port') > 0 || cfg.bool('tls-replication');
}

function readFile(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConfigError(`Failed to load ${what}: ${path}: ${(err as Error).message}`);
  }
}

/** The CA certificates of `tls-ca-cert-file` and every PEM file of `tls-ca-cert-dir`. */
function caCerts(cfg: ServerConfig): Buffer[] | undefined {
  const out: Buffer[] = [];
  const file = cfg.str('tls-ca-cert-file');
  if (file !== '') out.push(readFile(file, 'CA certificate(s) file'));
  const dir = cfg.str('tls-ca-cert-dir');
  if (dir !== '') {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (err) {
      throw new ConfigError(`Failed to configure CA certificate(s) file/directory: ${dir}: ${(err as Error).message}`);
    }
    for (const n of names.sort()) {
      const p = join(dir, n);
      if (!statSync(p).isFile()) continue;
      const pem = readFileSync(p);
      if (pem.includes('-----BEGIN CERTIFICATE-----')) out.push(pem);
    }
  }
  return out.length > 0 ? out : undefined;
}

/** `tls-protocols` as Node's min/max versions (Redis parseProtocolsConfig). */
function versions(cfg: ServerConfig): { minVersion?: tls.SecureVersion; maxVersion?: tls.SecureVersion } {
  const text = cfg.str('tls-protocols').trim();
  if (text === '') return { minVersion: 'TLSv1.2' };
  const chosen = text.split(/\s+/).map((t) => {
    const v = PROTOCOLS[t.toLowerCase()];
    if (v === undefined) throw new ConfigError("Invalid tls-protocols specified. Use a combination of 'TLSv1', 'TLSv1.1', 'TLSv1.2' and 'TLSv1.3'.");
    return ORDER.indexOf(v);
  });
  return { minVersion: ORDER[Math.min(...chosen)]!, maxVersion: ORDER[Math.max(...chosen)]! };
}

/** `tls-ciphers` (TLSv1.2 and below) and `tls-ciphersuites` (TLSv1.3) as Node's one cipher string. */
function ciphers(cfg: ServerConfig): string | undefined {
  const legacy = cfg.str('tls-ciphers');
  const suites = cfg.str('tls-ciphersuites');
  if (legacy === '' && suites === '') return undefined;
  const defaults = tls.DEFAULT_CIPHERS.split(':');
  const v13 = suites !== '' ? suites : defaults.filter((c) => c.startsWith('TLS_')).join(':');
  const v12 = legacy !== '' ? legacy : defaults.filter((c) => !c.startsWith('TLS_')).join(':');
  return `${v13}:${v12}`;
}

function keyPair(cfg: ServerConfig, client: boolean): { cert: Buffer; key: Buffer; passphrase?: string } {
  const prefix = client && cfg.str('tls-client-cert-file') !== '' ? 'tls-client-' : 'tls-';
  const certFile = cfg.str(`${prefix}cert-file`);
  const keyFile = cfg.str(`${prefix}key-file`);
  if (certFile === '') throw new ConfigError('No tls-cert-file configured!');
  if (keyFile === '') throw new ConfigError('No tls-key-file configured!');
  const pass = cfg.str(`${prefix}key-file-pass`);
  return { cert: readFile(certFile, 'certificate'), key: readFile(keyFile, 'private key'), ...(pass !== '' ? { passphrase: pass } : {}) };
}

/** Checks that the pair, CA and ciphers make a context (a wrong password or key fails here). */
function tryContext(opts: tls.SecureContextOptions, what: string): void {
  try {
    tls.createSecureContext(opts);
  } catch (err) {
    throw new ConfigError(`Failed to load ${what}: ${(err as Error).message}`);
  }
}

/** The TLS server's options; throws ConfigError with Redis's reason when they are unusable. */
export function serverTlsOptions(cfg: ServerConfig): tls.TlsOptions {
  const auth = cfg.str('tls-auth-clients');
  const ca = caCerts(cfg);
  if ((auth !== 'no' || cfg.bool('tls-replication')) && ca === undefined) {
    throw new ConfigError('Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-cluster, tls-replication or tls-auth-clients are enabled!');
  }
  const dh = cfg.str('tls-dh-params-file');
  const cipherList = ciphers(cfg);
  const opts: tls.TlsOptions = {
    ...keyPair(cfg, false),
    ...versions(cfg),
    ...(ca !== undefined ? { ca } : {}),
    ...(cipherList !== undefined ? { ciphers: cipherList } : {}),
    ...(dh !== '' ? { dhparam: readFile(dh, 'DH params file') } : {}),
    honorCipherOrder: cfg.bool('tls-prefer-server-ciphers'),
    // The listener refuses unauthorized clients itself after the handshake, to log them.
    requestCert: auth !== 'no',
    rejectUnauthorized: false,
    sessionTimeout: cfg.int('tls-session-cache-timeout'),
  };
  tryContext(opts, 'certificate, key or ciphers');
  return opts;
}

/** Options for this node's outgoing TLS links (the replica's link to its master). */
export function clientTlsOptions(cfg: ServerConfig): tls.ConnectionOptions {
  const ca = caCerts(cfg);
  const cipherList = ciphers(cfg);
  const opts: tls.ConnectionOptions = {
    ...keyPair(cfg, true),
    ...versions(cfg),
    ...(ca !== undefined ? { ca } : {}),
    ...(cipherList !== undefined ? { ciphers: cipherList } : {}),
    rejectUnauthorized: true,
    // Redis verifies the chain, not the name: masters are addressed by IP.
    checkServerIdentity: () => undefined,
  };
  tryContext(opts, 'client certificate, key or ciphers');
  return opts;
}
