/** Types of swarm.mjs's FakeReplica (see that file). */
import type net from 'node:net';

export declare class FakeReplica {
  /** Our offset in the master's stream once synced (-1 before). */
  offset: number;
  readonly socket: net.Socket;
  readonly synced: Promise<void>;
  readonly closed: Promise<void>;
  static connect(port: number, opts?: { ack?: boolean }): Promise<FakeReplica>;
  close(): void;
}
