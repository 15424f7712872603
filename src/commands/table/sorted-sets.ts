/** Command table: the sorted-sets group. Data only; see ../spec.ts for the entry shape. */

import type { CommandDraft } from '../spec.js';

export const SORTED_SET_COMMANDS: readonly CommandDraft[] = [];
