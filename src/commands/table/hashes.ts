/** Command table: the hashes group. Data only; see ../spec.ts for the entry shape. */

import type { CommandDraft } from '../spec.js';

export const HASH_COMMANDS: readonly CommandDraft[] = [];
