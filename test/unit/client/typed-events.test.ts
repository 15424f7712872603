/**
 * RingClient's events and batches are typed: a usage file that imports the published package
 * ('ringcache', resolved through package.json's exports to dist/*.d.ts, so `npm run build`
 * first) compiles cleanly with `tsc` when listeners match their events and pipeline()/multi()
 * results are read at their types (exec() resolves a typed tuple; call<T>()), and every
 * misspelled event name, mistyped listener, missing or unknown batch method argument or wrongly
 * typed result is a compile error on its own line.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../..', import.meta.url).pathname;
const DIR = join(ROOT, '.tmp', 'typed-events');

const GOOD = `import { RingClient, ReplyError, type TopologyDiff, type TopologySnapshot, type ShardHealthInfo, type ConnectionEventInfo, type ClientStatus } from 'ringcache';
const c = new RingClient({ shards: [{ name: 'a', master: '127.0.0.1:6379' }] });
c.on('topology', (diff: TopologyDiff, snapshot: TopologySnapshot) => void [diff.toEpoch, snapshot.epoch]);
c.on('topology', (diff) => void diff.changes.map((ch) => ch.shard));
c.on('ready', () => undefined);
c.once('end', () => undefined);
c.on('error', (err: Error, info) => void [err.message, info.shard, info.address]);
c.on('connect', (info: ConnectionEventInfo) => void info.address);
c.on('shard-down', (info: ShardHealthInfo) => void info.shard);
c.off('shard-up', (info) => void info.address);
c.on('resubscribed', ({ shard }) => void shard.length);
const s: ClientStatus = c.status;
void s;
async function batches(): Promise<void> {
  const [a, b, n] = await c.pipeline().get('k').getBuffer('k').incr('n').exec();
  const str: string | null = a[1];
  const buf: Buffer | null = b[1];
  const num: number | null = n[1];
  const err: Error | null = n[0];
  const tx = await c.multi().set('k', 'v').hgetall('h').call<number>('DBSIZE').exec();
  if (tx !== null) {
    const h: Record<string, string> | ReplyError = tx[1];
    const d: number | ReplyError = tx[2];
    void [h, d];
  }
  const v: string = await c.call<string>('GET', 'k');
  void [str, buf, num, err, v];
}
void batches;
`;

/** Each line must fail to compile (checked one by one, by line number). */
const BAD = [
  `c.on('topolgy', (diff: unknown) => void diff);`,
  `c.on('redy', () => undefined);`,
  `c.once('shard_down', () => undefined);`,
  `c.on('topology', (diff: string) => void diff);`,
  `c.on('error', (err: Error, info: { port: number }) => void [err, info]);`,
  `const st: 'open' = c.status;`,
  `c.pipeline().get();`,
  `c.multi().nosuch('k');`,
  `void (async () => { const r = await c.pipeline().get('k').exec(); const x: number = r[0][1]; void x; })();`,
  `c.pipeline().set('k', 'v', { ex: 'soon' });`,
];

function diagnostics(file: string): readonly ts.Diagnostic[] {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts'],
    types: ['node'],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
  };
  const program = ts.createProgram([file], options);
  return ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName === file || d.file === undefined);
}

describe('typed RingClient events and batches', () => {
  it('compiles correct listeners and batches; rejects misspelled events, mistyped listeners and wrong batch calls, line by line', () => {
    mkdirSync(DIR, { recursive: true });
    const good = join(DIR, 'good.ts');
    writeFileSync(good, GOOD);
    const header = `import { RingClient } from 'ringcache';\nconst c = new RingClient({ shards: [{ name: 'a', master: '127.0.0.1:6379' }] });\n`;
    const bad = join(DIR, 'bad.ts');
    writeFileSync(bad, header + BAD.join('\n') + '\n');

    const fmt = (ds: readonly ts.Diagnostic[]): string[] => ds.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(fmt(diagnostics(good))).toEqual([]);

    const lines = new Set(
      diagnostics(bad).map((d) => (d.file !== undefined && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : -1)),
    );
    // Lines 0 and 1 are the header; BAD[i] is line i + 2.
    expect([...lines].sort((a, b) => a - b)).toEqual(BAD.map((_, i) => i + 2));
  }, 120_000);
});
