/** Command table: the sets group. Data only; see ../spec.ts for the entry shape. */

import type { CommandDraft } from '../spec.js';

export const SET_COMMANDS: readonly CommandDraft[] = [];
