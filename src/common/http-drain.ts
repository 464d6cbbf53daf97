import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Server } from 'node:http';

/** GitHub gives up on a delivery after 10 s: a request still open by then has already failed for it. */
export const DRAIN_LIMIT_MS = 10_000;

/**
 * Graceful shutdown for kept-alive connections. Node's server.close() stops new connections and
 * closes idle ones, but a client that keeps sending on an open connection (a load balancer, or
 * GitHub during a burst) kept a stopping process serving forever. From the first step of shutdown
 * every answer carries `Connection: close`, so each connection ends after the request it carries
 * (answered, never cut off), and after DRAIN_LIMIT_MS whatever is still open is closed.
 */
@Injectable()
export class HttpDrain implements OnModuleDestroy {
  private server?: Server;
  private draining = false;

  /** Runs ahead of the server's other request listeners, so the header is set before any answer. */
  attach(server: Server): void {
    this.server = server;
    server.prependListener('request', (_req, res) => {
      if (this.draining) res.setHeader('Connection', 'close');
    });
  }

  /** Destroy hooks run before Nest closes the server, so answers given meanwhile close too. */
  onModuleDestroy(): void {
    this.draining = true;
    const server = this.server;
    if (server) setTimeout(() => server.closeAllConnections(), DRAIN_LIMIT_MS).unref();
  }
}
