/** What a connection (connection.ts) is configured with: its node, TLS, timeouts, handshake and reconnect settings. */

import type tls from 'node:tls';
import type { HandshakeOptions } from './handshake.js';
import type { BackoffOptions } from './reconnect-delay.js';

export interface ConnectionOptions extends HandshakeOptions, BackoffOptions {
  host: string;
  port: number;
  /** How events and errors name the node (the topology's address id); default `host:port`. */
  address?: string;
  /** TLS options (node:tls), or null for plain TCP. */
  tls: tls.ConnectionOptions | null;
  connectTimeoutMs: number;
  /** 0 disables command timeouts. */
  commandTimeoutMs: number;
  /** TCP keepalive initial delay; 0 disables. */
  keepAliveMs: number;
  offlineQueueMax: number;
  /** Re-send read-only/idempotent commands once after the connection died mid-flight. */
  retryOnDisconnect: boolean;
}
