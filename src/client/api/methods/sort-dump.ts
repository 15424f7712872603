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
export type WithGet = SortOptions & {
  /** GET patterns (`#` is the element itself); the reply holds their values, null for a missing key. */
  get: readonly Arg[];
};

export abstract class SortDumpCommands extends GeoCommands {
  /** SORT: the elements of the list, set or sorted set sorted (as numbers unless `alpha`), optionally by a weight pattern (`by`) and paged (`limit`). */
  sort(key: Arg, options?: SortOptions & { get?: undefined }): Promise<string[]>;
  /** SORT … GET: for each sorted element, the values of the GET patterns (null for a missing key). */
  sort(key: Arg, options: WithGet): Promise<(string | null)[]>;
  sort(key: Arg, options?: SortOptions): Promise<(string | null)[]> {
    return this.build(() => sortArgs('SORT', key, options), D.strOrNullList);
  }

  /** SORT_RO: SORT without STORE (replicas may serve it): the sorted elements. */
  sortRo(key: Arg, options?: SortOptions & { get?: undefined }): Promise<string[]>;
  /** SORT_RO … GET: for each sorted element, the values of the GET patterns (null for a missing key). */
  sortRo(key: Arg, options: WithGet): Promise<(string | null)[]>;
  sortRo(key: Arg, options?: SortOptions): Promise<(string | null)[]> {
    return this.build(() => sortArgs('SORT_RO', key, options), D.strOrNullList);
  }

  /** SORT … STORE: the result as a list in `destination` (deleted when empty); resolves its length. */
  sortStore(key: Arg, destination: Arg, options?: SortOptions): Promise<number> {
    return this.build(() => sortArgs('SORT', key, options, destination), D.int);
  }

  /** DUMP: the value serialized as Redis serializes it, or null when the key does not exist. */
  dump(key: Arg): Promise<Buffer | null> {
    return this.runBuffers(['DUMP', key], D.bufOrNull);
  }

  /** RESTORE: creates `key` from a DUMP payload (fails with BUSYKEY when it exists, unless `replace`). */
  restore(key: Arg, payload: Buffer, options?: RestoreOptions): Promise<'OK'> {
    return this.build(() => restoreArgs(key, payload, options), D.status);
  }
}
