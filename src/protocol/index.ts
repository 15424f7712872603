/** The RESP protocol layer: pure, no I/O; shared by the client, the server and test helpers. */
export { RequestParser } from './request-parser.js';
export type { RequestLimits } from './request-parser.js';
export { ReplyWriter } from './reply-writer.js';
export { ReplyParser } from './reply-parser.js';
export type { ReplyParserHandlers, ReplyParserOptions } from './reply-parser.js';
export { CommandEncoder, encodeCommand } from './command-encoder.js';
export type { CommandArg } from './command-encoder.js';
export type { RespValue } from './resp-types.js';
export { formatDouble, formatHumanDouble } from './double-format.js';
export { splitInlineArgs } from './inline-args.js';
export * from './limits.js';
