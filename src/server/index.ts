/** Embedding API of the storage node: `import { createServer } from 'ringcache/server'`. */
export { createServer, RingcacheServer, SERVER_VERSION, RINGCACHE_VERSION } from './server.js';
export type { ServerOptions, ServerLifecycle } from './server.js';
export { ServerConfig } from './config.js';
