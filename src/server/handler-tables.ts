/**
 * Every handler table the dispatcher serves, one per command family. A command in the command
 * table without a handler here is not implemented and answers "unknown command".
 */

import type { HandlerTable } from './dispatch/context.js';
import { STRING_HANDLERS } from './datatypes/string.js';
import { KEY_HANDLERS } from './commands/keys.js';
import { CONNECTION_HANDLERS } from './commands/connection.js';

export const HANDLER_TABLES: readonly HandlerTable[] = [STRING_HANDLERS, KEY_HANDLERS, CONNECTION_HANDLERS];
