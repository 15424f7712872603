/**
 * One-shot questions to a fleet process over RESP (ringcache-fleet's status and readiness
 * checks): connect, send one command, read one reply, close. Never throws: an unreachable
 * process or a timeout gives null.
 */

import http from 'node:http';
import net from 'node:net';
import { encodeCommand } from '../protocol/command-encoder.js';
import { ReplyParser } from '../protocol/reply-parser.js';
import type { RespValue } from '../protocol/resp-types.js';

export function ask(port: number, args: readonly string[], timeoutMs = 1000): Promise<RespValue | null> {
  return new Promise((resolve) => {
    let done = false;
    const socket = net.connect({ host: '127.0.0.1', port });
    const finish = (v: RespValue | null): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    const parser = new ReplyParser({ onReply: finish, onPush: () => {}, onError: () => finish(null) });
    socket.on('connect', () => socket.write(encodeCommand(args)));
    socket.on('data', (d: Buffer) => parser.feed(d));
    socket.on('error', () => finish(null));
    socket.on('close', () => finish(null));
  });
}

/** INFO as a field map ('' sections and headers skipped); empty when unreachable. */
export async function info(port: number, section?: string): Promise<Map<string, string>> {
  const r = await ask(port, section === undefined ? ['INFO'] : ['INFO', section]);
  return typeof r === 'string' ? infoFields(r) : new Map<string, string>();
}

/** INFO's `field:value` lines as a map (section headers and blank lines skipped). */
export function infoFields(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out.set(line.slice(0, i), line.slice(i + 1));
  }
  return out;
}

/** A field/value flat array (SENTINEL master) as a map. */
export function pairs(r: RespValue | null): Map<string, string> {
  const out = new Map<string, string>();
  if (!Array.isArray(r)) return out;
  for (let i = 0; i + 1 < r.length; i += 2) out.set(String(r[i]), String(r[i + 1]));
  return out;
}

/** True when nothing listens on 127.0.0.1:port (we can bind it). */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A free ephemeral port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a !== null ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** True when GET url answers 200 within the timeout. */
export function httpOk(url: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}
