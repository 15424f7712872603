/** Command table: the lists group. Data only; see ../spec.ts for the entry shape. */

import type { CommandDraft } from '../spec.js';

export const LIST_COMMANDS: readonly CommandDraft[] = [];
