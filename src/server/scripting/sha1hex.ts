/** SHA-1 of a byte string as 40 lower-case hex digits (script names, redis.sha1hex). */

import { createHash } from 'node:crypto';

export function sha1hex(s: string): string {
  return createHash('sha1').update(Buffer.from(s, 'latin1')).digest('hex');
}
