/**
 * The metrics endpoint's HTTP listener (node:http): `GET /metrics` (or HEAD) answers the
 * Prometheus text the render function gives, any other path 404, any other method 405.
 *
 * Invariants: at most one listening server at a time; moving it to another address binds the
 * new one before closing the old (so a failed move keeps the old one serving), except on the
 * same port, where the old one must go first and is re-bound when the new one fails; `close()`
 * ends every connection it accepted.
 */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface Exposition {
  contentType: string;
  body: string;
}

interface Bound {
  server: Server;
  port: number;
  bind: string;
}

export class MetricsListener {
  private bound: Bound | null = null;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly render: () => Promise<Exposition>,
    private readonly onError: (message: string) => void,
  ) {}

  /** The port served now, or 0. */
  get port(): number {
    return this.bound?.port ?? 0;
  }

  /** Serves on `bind`:`port` (port 0: stop serving). Null, or Redis's reason when it cannot listen. */
  apply(port: number, bind: string): Promise<string | null> {
    return this.serialized(() => this.move(port, bind));
  }

  /** Stops serving and closes every connection. */
  close(): Promise<void> {
    return this.serialized(async () => {
      const old = this.bound;
      this.bound = null;
      if (old !== null) await stop(old.server);
    });
  }

  /** Moves and closes run one at a time, in call order. */
  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async move(port: number, bind: string): Promise<string | null> {
    const old = this.bound;
    if (old !== null && old.port === port && old.bind === bind) return null;
    if (port === 0) {
      this.bound = null;
      if (old !== null) await stop(old.server);
      return null;
    }
    if (old !== null && old.port === port) {
      await stop(old.server);
      this.bound = null;
    }
    const server = await this.listen(port, bind);
    if (server === null) {
      if (old !== null && this.bound === null) this.bound = await this.relisten(old);
      return 'Unable to listen on this port';
    }
    if (this.bound !== null) await stop(this.bound.server);
    this.bound = { server, port, bind };
    return null;
  }

  private async relisten(old: Bound): Promise<Bound | null> {
    const server = await this.listen(old.port, old.bind);
    return server === null ? null : { ...old, server };
  }

  private listen(port: number, bind: string): Promise<Server | null> {
    const server = createServer((req, res) => this.serve(req, res));
    server.keepAliveTimeout = 5_000;
    return new Promise((resolve) => {
      const failed = (err: Error): void => {
        this.onError(`Metrics endpoint: unable to listen on ${bind}:${port}: ${err.message}`);
        resolve(null);
      };
      server.once('error', failed);
      server.listen(port, bind, () => {
        server.off('error', failed);
        server.on('error', (err) => this.onError(`Metrics endpoint: ${err.message}`));
        resolve(server);
      });
    });
  }

  private serve(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    if (path !== '/metrics') return plain(res, 404, 'Not Found\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return plain(res, 405, 'Method Not Allowed\n');
    }
    this.render().then(
      (out) => {
        res.writeHead(200, { 'Content-Type': out.contentType });
        res.end(req.method === 'HEAD' ? undefined : out.body);
      },
      (err: unknown) => {
        this.onError(`Metrics endpoint: ${err instanceof Error ? err.message : String(err)}`);
        plain(res, 500, 'Internal Server Error\n');
      },
    );
  }
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
