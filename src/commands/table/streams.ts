/**
 * Command table: the stream group, as Redis 7.0 declares it (arity, flags, legacy key range, key
 * specs, tips, summaries). Data only; see ../spec.ts. XREAD/XREADGROUP find their keys after the
 * STREAMS keyword (half of the remaining arguments), hence `movablekeys` and keyword key specs.
 */

import { cmd, rangeKeys, type CommandDraft, type KeySpec } from '../spec.js';

const at = (pos: number, flags: readonly string[]): readonly KeySpec[] => [rangeKeys(pos, 0, 1, 0, flags)];
const ND = ['nondeterministic_output'];
/** After STREAMS: the first half of the remaining arguments are the keys. */
const STREAMS_FROM = (startFrom: number): readonly KeySpec[] => [rangeKeys({ keyword: 'STREAMS', startFrom }, -1, 1, 2, ['RO', 'access'])];

export const STREAM_COMMANDS: readonly CommandDraft[] = [
  cmd('xadd', -5, 'write denyoom fast', [1, 1, 1], { since: '5.0.0', tips: ND, keySpecs: at(1, ['RW', 'update']), summary: 'Appends a new entry to a stream' }),
  cmd('xlen', 2, 'readonly fast', [1, 1, 1], { since: '5.0.0', keySpecs: at(1, ['RO']), summary: 'Return the number of entries in a stream' }),
  cmd('xrange', -4, 'readonly', [1, 1, 1], {
    since: '5.0.0',
    keySpecs: at(1, ['RO', 'access']),
    summary: 'Return a range of elements in a stream, with IDs matching the specified IDs interval',
  }),
  cmd('xrevrange', -4, 'readonly', [1, 1, 1], {
    since: '5.0.0',
    keySpecs: at(1, ['RO', 'access']),
    summary: "Return a range of elements in a stream, with IDs matching the specified IDs interval, in reverse order (from greater to smaller IDs) compared to XRANGE",
  }),
  cmd('xdel', -3, 'write fast', [1, 1, 1], {
    since: '5.0.0',
    keySpecs: at(1, ['RW', 'delete']),
    summary: 'Removes the specified entries from the stream. Returns the number of items actually deleted, that may be different from the number of IDs passed in case certain IDs do not exist.',
  }),
  cmd('xtrim', -4, 'write', [1, 1, 1], { since: '5.0.0', tips: ND, keySpecs: at(1, ['RW', 'delete']), summary: "Trims the stream to (approximately if '~' is passed) a certain size" }),
  cmd('xsetid', -3, 'write denyoom fast', [1, 1, 1], { since: '5.0.0', keySpecs: at(1, ['RW', 'update']), summary: 'An internal command for replicating stream values' }),
  cmd('xread', -4, 'readonly blocking movablekeys', [0, 0, 0], {
    since: '5.0.0',
    keySpecs: STREAMS_FROM(1),
    summary: 'Return never seen elements in multiple streams, with IDs greater than the ones reported by the caller for each stream. Can block.',
  }),
  cmd('xreadgroup', -7, 'write blocking movablekeys', [0, 0, 0], {
    since: '5.0.0',
    keySpecs: STREAMS_FROM(4),
    summary: 'Return new entries from a stream using a consumer group, or access the history of the pending entries for a given consumer. Can block.',
  }),
  cmd('xack', -4, 'write fast', [1, 1, 1], {
    since: '5.0.0',
    keySpecs: at(1, ['RW', 'update']),
    summary: 'Marks a pending message as correctly processed, effectively removing it from the pending entries list of the consumer group. Return value of the command is the number of messages successfully acknowledged, that is, the IDs we were actually able to resolve in the PEL.',
  }),
  cmd('xpending', -3, 'readonly', [1, 1, 1], {
    since: '5.0.0',
    tips: ND,
    keySpecs: at(1, ['RO', 'access']),
    summary: 'Return information and entries from a stream consumer group pending entries list, that are messages fetched but never acknowledged.',
  }),
  cmd('xclaim', -6, 'write fast', [1, 1, 1], {
    since: '5.0.0',
    tips: ND,
    keySpecs: at(1, ['RW', 'update']),
    summary: 'Changes (or acquires) ownership of a message in a consumer group, as if the message was delivered to the specified consumer.',
  }),
  cmd('xautoclaim', -6, 'write fast', [1, 1, 1], {
    since: '6.2.0',
    tips: ND,
    keySpecs: at(1, ['RW', 'delete']),
    summary: 'Changes (or acquires) ownership of messages in a consumer group, as if the messages were delivered to the specified consumer.',
  }),
  cmd('xgroup', -2, '', [0, 0, 0], {
    acl: [],
    since: '5.0.0',
    summary: 'A container for consumer groups commands',
    subcommands: [
      cmd('create', -5, 'write denyoom', [2, 2, 1], { since: '5.0.0', keySpecs: at(2, ['RW', 'insert']), summary: 'Create a consumer group.' }),
      cmd('setid', -5, 'write', [2, 2, 1], { since: '5.0.0', keySpecs: at(2, ['RW', 'update']), summary: 'Set a consumer group to an arbitrary last delivered ID value.' }),
      cmd('destroy', 4, 'write', [2, 2, 1], { since: '5.0.0', keySpecs: at(2, ['RW', 'delete']), summary: 'Destroy a consumer group.' }),
      cmd('createconsumer', 5, 'write denyoom', [2, 2, 1], { since: '6.2.0', keySpecs: at(2, ['RW', 'insert']), summary: 'Create a consumer in a consumer group.' }),
      cmd('delconsumer', 5, 'write', [2, 2, 1], { since: '5.0.0', keySpecs: at(2, ['RW', 'delete']), summary: 'Delete a consumer from a consumer group.' }),
      cmd('help', 2, 'loading stale', [0, 0, 0], { since: '5.0.0', summary: 'Show helpful text about the different subcommands' }),
    ],
  }),
  cmd('xinfo', -2, '', [0, 0, 0], {
    acl: [],
    since: '5.0.0',
    summary: 'A container for stream introspection commands',
    subcommands: [
      cmd('stream', -3, 'readonly', [2, 2, 1], { since: '5.0.0', keySpecs: at(2, ['RO', 'access']), summary: 'Get information about a stream' }),
      cmd('groups', 3, 'readonly', [2, 2, 1], { since: '5.0.0', keySpecs: at(2, ['RO', 'access']), summary: 'List the consumer groups of a stream' }),
      cmd('consumers', 4, 'readonly', [2, 2, 1], { since: '5.0.0', tips: ND, keySpecs: at(2, ['RO', 'access']), summary: 'List the consumers in a consumer group' }),
      cmd('help', 2, 'loading stale', [0, 0, 0], { since: '5.0.0', summary: 'Show helpful text about the different subcommands' }),
    ],
  }),
];
