/** Command table: the geo group (Redis 7.0 arity, flags and key specs). Data only; see ../spec.ts. */

import { cmd, rangeKeys, type CommandDraft } from '../spec.js';

const READ = ['RO', 'access'];
const STORE = ['OW', 'update'];

/** GEORADIUS[BYMEMBER]: the source, and a STORE or STOREDIST destination after the fixed arguments. */
function radiusKeys(startFrom: number): ReturnType<typeof rangeKeys>[] {
  return [
    rangeKeys(1, 0, 1, 0, READ),
    rangeKeys({ keyword: 'STORE', startFrom }, 0, 1, 0, STORE),
    rangeKeys({ keyword: 'STOREDIST', startFrom }, 0, 1, 0, STORE),
  ];
}

export const GEO_COMMANDS: readonly CommandDraft[] = [
  cmd('geoadd', -5, 'write denyoom', [1, 1, 1], { since: '3.2.0', keySpecs: [rangeKeys(1, 0, 1, 0, ['RW', 'update'])] }),
  cmd('geodist', -4, 'readonly', [1, 1, 1], { since: '3.2.0', cacheable: true }),
  cmd('geohash', -2, 'readonly', [1, 1, 1], { since: '3.2.0', cacheable: true }),
  cmd('geopos', -2, 'readonly', [1, 1, 1], { since: '3.2.0', cacheable: true }),
  cmd('georadius', -6, 'write denyoom movablekeys', [1, 1, 1], { since: '3.2.0', keySpecs: radiusKeys(6) }),
  cmd('georadius_ro', -6, 'readonly', [1, 1, 1], { since: '3.2.10', cacheable: true }),
  cmd('georadiusbymember', -5, 'write denyoom movablekeys', [1, 1, 1], { since: '3.2.0', keySpecs: radiusKeys(5) }),
  cmd('georadiusbymember_ro', -5, 'readonly', [1, 1, 1], { since: '3.2.10', cacheable: true }),
  cmd('geosearch', -7, 'readonly', [1, 1, 1], { since: '6.2.0', cacheable: true }),
  cmd('geosearchstore', -8, 'write denyoom', [1, 2, 1], {
    since: '6.2.0',
    keySpecs: [rangeKeys(1, 0, 1, 0, STORE), rangeKeys(2, 0, 1, 0, READ)],
  }),
];
