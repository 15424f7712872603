import { describe, expect, it } from 'vitest';
import { Script, scriptSha } from '../../../../src/client/api/script.js';
import { InvalidArgumentError, ReplyError } from '../../../../src/errors.js';
import type { RespValue } from '../../../../src/protocol/resp-types.js';
import type { Arg } from '../../../../src/client/transport/command.js';

/** A send that answers from a script of replies and records what was sent. */
function fakeSend(replies: (RespValue | Error)[]): { sent: Arg[][]; send: (argv: readonly Arg[]) => Promise<RespValue> } {
  const sent: Arg[][] = [];
  return {
    sent,
    send: (argv) => {
      sent.push([...argv]);
      const r = replies.shift();
      return r instanceof Error ? Promise.reject(r) : Promise.resolve(r ?? null);
    },
  };
}

describe('Script', () => {
  const lua = "return redis.call('GET', KEYS[1])";

  it('names the script by its SHA1 and sends EVALSHA with numkeys, keys and args', async () => {
    expect(scriptSha('return 1')).toBe('e0e1f9fabfc9d4800c877a703b823ac0578ff8db');
    const f = fakeSend(['v']);
    const s = new Script(lua, f.send);
    expect(await s.run(['k'], ['a', 2])).toBe('v');
    expect(f.sent).toEqual([['EVALSHA', scriptSha(lua), 1, 'k', 'a', 2]]);
  });

  it('on NOSCRIPT sends one EVAL of the same keys and args', async () => {
    const f = fakeSend([new ReplyError('NOSCRIPT No matching script. Please use EVAL.'), 'v']);
    expect(await new Script(lua, f.send).run(['k'])).toBe('v');
    expect(f.sent).toEqual([
      ['EVALSHA', scriptSha(lua), 1, 'k'],
      ['EVAL', lua, 1, 'k'],
    ]);
  });

  it('a read-only script uses EVALSHA_RO and EVAL_RO', async () => {
    const f = fakeSend([new ReplyError('NOSCRIPT No matching script.'), 1]);
    await new Script(lua, f.send, { readOnly: true }).run(['k']);
    expect(f.sent.map((a) => a[0])).toEqual(['EVALSHA_RO', 'EVAL_RO']);
  });

  it('other errors, and an EVAL that fails too, reject without another send', async () => {
    const f = fakeSend([new ReplyError('ERR boom')]);
    await expect(new Script(lua, f.send).run(['k'])).rejects.toThrow('ERR boom');
    expect(f.sent).toHaveLength(1);
    const g = fakeSend([new ReplyError('NOSCRIPT x'), new ReplyError('NOSCRIPT y')]);
    await expect(new Script(lua, g.send).run()).rejects.toThrow('NOSCRIPT y');
    expect(g.sent).toHaveLength(2);
  });

  it('refuses keys or args that are not arrays before sending', async () => {
    const f = fakeSend([]);
    const s = new Script(lua, f.send);
    await expect(s.run('k' as unknown as Arg[])).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(s.run([], 1 as unknown as Arg[])).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(f.sent).toHaveLength(0);
  });
});

describe('Script with a lua that is not text', () => {
  it('is created without throwing and rejects on run, sending nothing', async () => {
    let sent = 0;
    const s = new Script(42 as unknown as string, () => {
      sent++;
      return Promise.resolve(null);
    });
    expect(s.sha).toBe('');
    await expect(s.run()).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(sent).toBe(0);
  });
});
