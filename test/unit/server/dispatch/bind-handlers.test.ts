import { describe, expect, it } from 'vitest';
import { HandlerConflictError } from '../../../../src/errors.js';
import { HANDLER_TABLES } from '../../../../src/server/command-handlers.js';
import type { Handler } from '../../../../src/server/dispatch/context.js';
import { bindHandlers } from '../../../../src/server/dispatch/dispatcher.js';

const noop: Handler = () => {};

describe('handler binding', () => {
  it('binds every family of the server once', () => {
    const map = bindHandlers(HANDLER_TABLES);
    expect(map.has('get')).toBe(true);
    expect(map.has('role')).toBe(true);
  });

  it('refuses a command bound by two families, naming both', () => {
    let caught: unknown;
    try {
      bindHandlers({ admin: { role: noop }, replication: { role: noop, ping: noop } });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(HandlerConflictError);
    expect((caught as HandlerConflictError).code).toBe('ERR_HANDLER_CONFLICT');
    expect((caught as HandlerConflictError).message).toBe("command 'role' has a handler in both 'admin' and 'replication'");
  });
});
