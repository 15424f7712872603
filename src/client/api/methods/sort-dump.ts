/**
 * Typed SORT, SORT_RO, DUMP and RESTORE. Sorted elements come back as strings (null for a GET
 * pattern naming a missing key); DUMP payloads are Buffers (Redis's serialization: a payload
 * dumped from redis-server restores on ringcache-server and the reverse). SORT's STORE
 * destination and its BY/GET keys must live on the sorted key's shard ({hash tags}).
 */

import type { Arg } from '../../transport/command.js';
import * as D from '../decode.js';
import { restoreArgs, sortArgs, type RestoreOptions, type SortOptions } from '../args/sort-dump.js';
import { GeoCommands } from './geo.js';

/** SORT options with GET patterns (the reply holds the GET values). */
export type WithGet = SortOptions & { get: readonly Arg[] };

export abstract class SortDumpCommands extends GeoCommands {
  /** The list, set or sorted set sorted (numbers unless `alpha`), or the GET patterns' values. */
  sort(key: Arg, options?: SortOptions & { get?: undefined }): Promise<string[]>;
  sort(key: Arg, options: WithGet): Promise<(string | null)[]>;
  sort(key: Arg, options?: SortOptions): Promise<(string | null)[]> {
    return this.build(() => sortArgs('SORT', key, options), D.strOrNullList);
  }

  /** SORT without writes (replicas may serve it). */
  sortRo(key: Arg, options?: SortOptions & { get?: undefined }): Promise<string[]>;
  sortRo(key: Arg, options: WithGet): Promise<(string | null)[]>;
  sortRo(key: Arg, options?: SortOptions): Promise<(string | null)[]> {
    return this.build(() => sortArgs('SORT_RO', key, options), D.strOrNullList);
  }

  /** SORT … STORE: the result as a list in `destination` (deleted when empty); resolves its length. */
  sortStore(key: Arg, destination: Arg, options?: SortOptions): Promise<number> {
    return this.build(() => sortArgs('SORT', key, options, destination), D.int);
  }

  /** The value serialized as Redis serializes it, or null when the key does not exist. */
  dump(key: Arg): Promise<Buffer | null> {
    return this.runBuffers(['DUMP', key], D.bufOrNull);
  }

  /** Creates `key` from a DUMP payload (fails with BUSYKEY when it exists, unless `replace`). */
  restore(key: Arg, payload: Buffer, options?: RestoreOptions): Promise<'OK'> {
    return this.build(() => restoreArgs(key, payload, options), D.status);
  }
}
