/**
 * Embedding API of the storage node: `import { createServer } from 'ringcache/server'`.
 *
 * @module ringcache/server
 */
export { createServer, RingcacheServer, SERVER_VERSION, RINGCACHE_VERSION } from './server.js';
export type { ServerOptions } from './server.js';
export type { ServerLifecycle } from './feature-contract.js';
export { ServerConfig } from './config.js';
