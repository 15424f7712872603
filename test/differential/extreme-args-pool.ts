/**
 * Values for the extreme-argument differential: the extremes pool (what goes into the argument
 * under test) and the ordinary values a command's other arguments get, chosen by the argument's
 * documented type and name so that the call reaches the parsing of the argument under test.
 *
 * Strings are latin1 (one char per byte): binary values travel byte for byte.
 */

import type { ArgDoc } from '../helpers/command-docs.js';
import type { Rng } from '../helpers/differential.js';

const MB = 'x'.repeat(1024 * 1024);

/** The extremes pool: integer limits, float spellings, range prefixes, empty, huge and binary strings. */
export const EXTREMES: readonly string[] = [
  '9223372036854775807',
  '-9223372036854775807',
  '9223372036854775808',
  '-9223372036854775808',
  '-9223372036854775809',
  '18446744073709551615',
  '18446744073709551616',
  '-18446744073709551615',
  '4294967296',
  '4294967295',
  '-4294967296',
  '2147483647',
  '2147483648',
  '-2147483648',
  '-2147483649',
  '9007199254740993',
  '99999999999999999999999',
  '0',
  '-0',
  '+1',
  '01',
  '1',
  '-1',
  '2',
  '-2',
  '1.0',
  '1.5',
  '-1.5',
  '0.1',
  '1e3',
  '1e18',
  '1e19',
  '1e400',
  '-1e400',
  '1e-400',
  '4e-320',
  '0x10',
  ' 1',
  '1 ',
  '1\x00',
  'inf',
  '-inf',
  '+inf',
  'Infinity',
  'INF',
  'nan',
  '-nan',
  'NaN',
  '',
  '(',
  '(1',
  '(-1',
  '(inf',
  '(-inf',
  '(nan',
  '(1e400',
  '(a',
  '[',
  '[a',
  '[z',
  '-',
  '+',
  '*',
  'a',
  'A b',
  '\x00',
  '\x00\xff\r\n\x80',
  '\xff'.repeat(64),
  MB,
];

/** A short description of a pool value for reports (the 1 MB string and binary shown by size). */
export function describeValue(v: string): string {
  if (v.length > 64) return `<${v.length} bytes>`;
  return JSON.stringify(v);
}

/** An extreme, with the 1 MB string drawn rarely (it costs two megabytes of traffic per call). */
export function pickExtreme(rng: Rng): string {
  const v = rng.pick(EXTREMES);
  return v === MB && !rng.bool(0.2) ? rng.pick(EXTREMES.slice(0, 20)) : v;
}

/** Keys of the dataset both servers hold before each call (extreme-args-runner.ts seeds them). */
export const KEYS = {
  string: 'str',
  number: 'num',
  float: 'flt',
  list: 'list',
  hash: 'hash',
  set: 'set',
  intset: 'iset',
  zset: 'zset',
  lexzset: 'zlex',
  geo: 'geo',
  stream: 'stream',
  hll: 'hll',
  missing: 'nokey',
  dest: 'dst',
} as const;

const ALL_KEYS: readonly string[] = Object.values(KEYS);

/** The key a command of this group normally works on. */
function groupKey(group: string, rng: Rng): string {
  switch (group) {
    case 'string':
    case 'bitmap':
      return rng.pick([KEYS.string, KEYS.number, KEYS.float]);
    case 'list':
      return KEYS.list;
    case 'hash':
      return KEYS.hash;
    case 'set':
      return rng.pick([KEYS.set, KEYS.intset]);
    case 'sorted-set':
      return rng.pick([KEYS.zset, KEYS.lexzset]);
    case 'geo':
      return KEYS.geo;
    case 'stream':
      return KEYS.stream;
    case 'hyperloglog':
      return KEYS.hll;
    default:
      return rng.pick(ALL_KEYS);
  }
}

/** A key for a command of `group`: usually its own type, sometimes another type or a missing key. */
export function pickKey(group: string, arg: ArgDoc, rng: Rng): string {
  if (/dest/.test(arg.name) && rng.bool(0.7)) return KEYS.dest;
  return rng.bool(0.8) ? groupKey(group, rng) : rng.pick(ALL_KEYS);
}

const INTEGER_BY_NAME: Readonly<Record<string, readonly string[]>> = {
  count: ['1', '2', '3', '-2'],
  cursor: ['0'],
  db: ['1'],
  'destination-db': ['1'],
  timeout: ['0', '1'],
  start: ['0', '1', '-2'],
  stop: ['-1', '2'],
  end: ['-1', '2'],
  index: ['0', '-1', '1'],
  offset: ['0', '1'],
  weight: ['1', '2'],
  increment: ['1', '5'],
  decrement: ['1'],
  milliseconds: ['100000'],
  seconds: ['100'],
  ttl: ['100000'],
  rank: ['1', '-1'],
  len: ['2'],
  numreplicas: ['0'],
  protover: ['2'],
  port: ['1'],
  limit: ['10'],
  'client-id': ['1'],
};

const DOUBLE_BY_NAME: Readonly<Record<string, readonly string[]>> = {
  score: ['1.5', '2'],
  min: ['0', '-inf'],
  max: ['10', '+inf'],
  timeout: ['0.01'],
  increment: ['1.5'],
  longitude: ['13.361389'],
  latitude: ['38.115556'],
  radius: ['200'],
  width: ['400'],
  height: ['400'],
};

const STRING_BY_NAME: Readonly<Record<string, readonly string[]>> = {
  member: ['a', 'b', '1'],
  element: ['a', 'b', '1'],
  field: ['a', 'b'],
  value: ['v', '1'],
  pivot: ['b'],
  start: ['0', '1'],
  stop: ['-1', '2'],
  min: ['-', '[a', '(1', '0'],
  max: ['+', '[c', '(3', '10'],
  channel: ['ch'],
  shardchannel: ['ch'],
  section: ['server'],
  parameter: ['hz'],
  password: ['secret'],
  username: ['default'],
  script: ['return 1'],
  sha1: ['0'.repeat(40)],
  'yes/no': ['yes'],
  type: ['string'],
  id: ['0-1', '*'],
  group: ['g'],
  consumer: ['c'],
  clientname: ['n'],
  'connection-name': ['n'],
  host: ['127.0.0.1'],
  function: ['f', 'ro'],
  'library-name': ['lib'],
};

/** An ordinary value for an argument, by its documented type and name. */
export function ordinaryValue(arg: ArgDoc, now: number, rng: Rng): string {
  switch (arg.type) {
    case 'integer':
      return rng.pick(INTEGER_BY_NAME[arg.name] ?? ['1', '2']);
    case 'double':
      return rng.pick(DOUBLE_BY_NAME[arg.name] ?? ['1.5', '1']);
    case 'unix-time':
      return rng.pick([String(Math.floor(now / 1000) + 100), '100']);
    case 'pattern':
      return rng.pick(['*', 'a*', 'ch*']);
    default:
      return rng.pick(STRING_BY_NAME[arg.name] ?? ['a', 'v']);
  }
}
