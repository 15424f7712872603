// Runs a Lua script through a RingClient the way production code does: EVALSHA (the script's
// SHA-1, computed here), routed by its first key to the shard that owns it, falling back to EVAL
// once per shard when that node has not seen the script yet (NOSCRIPT).
import { createHash } from 'node:crypto';

export function luaScript(client, body) {
  const sha = createHash('sha1').update(body).digest('hex');
  return async (keys, args = []) => {
    try {
      return await client.call('EVALSHA', sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!String(err.message).startsWith('NOSCRIPT')) throw err;
      return client.call('EVAL', body, keys.length, ...keys, ...args);
    }
  };
}
