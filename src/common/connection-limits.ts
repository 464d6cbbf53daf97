import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** A connection must deliver a request's headers this soon after it opens. */
export const HEADERS_TIMEOUT_MS = 10_000;
/** A whole request (headers and body) must be in this soon; streamed routes cut slow bodies earlier. */
export const REQUEST_TIMEOUT_MS = 60_000;

/** An open connection: requests in progress, and the timer for its first request head. */
interface OpenConnection {
  busy: number;
  firstRequest?: NodeJS.Timeout;
}

export interface ConnectionLimits {
  maxConnections: number;
  /** How long an idle kept-alive connection stays open (HTTP_KEEP_ALIVE_SECONDS). */
  keepAliveMs: number;
}

/**
 * Bounds what open connections can hold. At most `maxConnections` are open: past it, connections
 * with no request in progress (idle kept-alive ones, or ones that have not sent a whole request
 * head yet) are closed, oldest first, to make room; if every one is busy the new one is closed.
 * Node's own `server.maxConnections` would refuse the new connection instead, so a crowd of idle
 * connections would lock out real deliveries. A new connection has HEADERS_TIMEOUT_MS to send
 * its first request head.
 */
export function limitConnections(server: Server, limits: ConnectionLimits): void {
  server.keepAliveTimeout = limits.keepAliveMs;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  const open = new Map<Socket, OpenConnection>();
  server.on('connection', (socket: Socket) => {
    const state: OpenConnection = { busy: 0 };
    state.firstRequest = setTimeout(() => socket.destroy(), HEADERS_TIMEOUT_MS).unref();
    open.set(socket, state);
    socket.once('close', () => {
      clearTimeout(state.firstRequest);
      open.delete(socket);
    });
    if (open.size > limits.maxConnections) makeRoom(open, socket, limits.maxConnections);
  });
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const state = open.get(req.socket);
    if (!state) return;
    clearTimeout(state.firstRequest);
    state.busy++;
    res.once('close', () => state.busy--);
  });
}

function makeRoom(open: Map<Socket, OpenConnection>, newcomer: Socket, max: number): void {
  // A little more than one, so a stream of new connections does not scan the map each time.
  let toClose = open.size - max + Math.ceil(max / 100);
  for (const [socket, state] of open) {
    if (toClose === 0) break;
    if (socket === newcomer || state.busy > 0) continue;
    socket.destroy();
    open.delete(socket);
    toClose--;
  }
  if (open.size > max) newcomer.destroy();
}
