/**
 * The dashboard's web side (node:http, no dependency): the static page (page/index.html,
 * page/app.js, page/style.css, read once at start), `GET /api/state` (everything as one JSON
 * document) and `GET /events`, a server-sent-events stream: on connect `hello` (this run's id),
 * the ring, the whole timeline and the latest node views; after every collector tick the node
 * views, the timeline events the page has not seen, and the ring again only when it changed. Each tick's JSON is serialised once
 * for every page; a page that stops reading (over 1 MB unread) is skipped until it catches up.
 * Binds 127.0.0.1 unless told otherwise; `close` ends every stream.
 */

import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FleetError } from '../../errors.js';
import type { Collector, Snapshot } from './collector.js';

const PAGE_DIR = new URL('./page/', import.meta.url);
const ASSETS: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};

export interface DashboardServerOptions {
  port: number;
  bind?: string;
}

export interface DashboardServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Bytes a page may have unread before its updates are skipped (a stalled tab must not grow us). */
const MAX_BUFFERED = 1 << 20;

function frame(event: string, json: string): string {
  return `event: ${event}\ndata: ${json}\n\n`;
}

interface Stream {
  res: http.ServerResponse;
  ringVersion: number;
  seq: number;
}

/**
 * The pages following /events. A page more than MAX_BUFFERED behind is skipped for that tick;
 * what it has seen (ring version, timeline seq) only moves when a frame was written, so it gets
 * the missed ring and events with its next update.
 */
class EventStreams {
  private readonly streams = new Set<Stream>();
  /** Names this server's run: a page that reconnects to a restarted dashboard starts its timeline over. */
  private readonly boot = `${process.pid}-${Date.now()}`;

  constructor(private readonly collector: Collector) {}

  open(res: http.ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write(`retry: 1000\n\n${frame('hello', JSON.stringify({ boot: this.boot }))}`);
    const s: Stream = { res, ringVersion: 0, seq: 0 };
    this.streams.add(s);
    res.on('close', () => this.streams.delete(s));
    this.send(s, nodesJson(this.collector.snapshot()));
  }

  /** After a tick: the node views serialised once for every page. */
  broadcast(snap: Snapshot): void {
    if (this.streams.size === 0) return;
    const json = nodesJson(snap);
    for (const s of this.streams) this.send(s, json);
  }

  closeAll(): void {
    for (const s of this.streams) s.res.end();
    this.streams.clear();
  }

  private send(s: Stream, nodes: string): void {
    if (s.res.writableLength > MAX_BUFFERED) return;
    const { version, ring } = this.collector.ringView();
    let out = '';
    if (s.ringVersion !== version) {
      out += frame('ring', JSON.stringify({ version, ...ring }));
      s.ringVersion = version;
    }
    const fresh = this.collector.timeline.since(s.seq);
    if (fresh.length > 0) {
      out += frame('timeline', JSON.stringify(fresh));
      s.seq = fresh[fresh.length - 1]!.seq;
    }
    s.res.write(out + frame('nodes', nodes));
  }
}

function nodesJson(snap: Snapshot): string {
  return JSON.stringify({ time: snap.time, nodes: snap.nodes, sentinels: snap.sentinels });
}

function stateJson(collector: Collector): string {
  const { version, ring } = collector.ringView();
  return JSON.stringify({ ring: { version, ...ring }, ...collector.snapshot(), timeline: collector.timeline.since(0) });
}

export async function startDashboardServer(collector: Collector, o: DashboardServerOptions): Promise<DashboardServer> {
  const files = new Map<string, Buffer>();
  for (const a of Object.values(ASSETS)) if (!files.has(a.file)) files.set(a.file, readFileSync(new URL(a.file, PAGE_DIR)));
  const streams = new EventStreams(collector);
  const unsubscribe = collector.onSnapshot((snap) => streams.broadcast(snap));
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const asset = ASSETS[path];
    if (req.method !== 'GET') res.writeHead(405, { allow: 'GET' }).end();
    else if (asset !== undefined) res.writeHead(200, { 'content-type': asset.type, 'cache-control': 'no-cache' }).end(files.get(asset.file));
    else if (path === '/favicon.ico') res.writeHead(204).end();
    else if (path === '/api/state') res.writeHead(200, { 'content-type': 'application/json' }).end(stateJson(collector));
    else if (path === '/events') streams.open(res);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    const refused = (err: NodeJS.ErrnoException): void => {
      unsubscribe();
      reject(new FleetError(`the dashboard cannot listen on ${o.bind ?? '127.0.0.1'}:${o.port}: ${err.code ?? err.message}`));
    };
    server.once('error', refused);
    server.listen(o.port, o.bind ?? '127.0.0.1', () => {
      server.off('error', refused);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = o.bind ?? '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        streams.closeAll();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
