// A TCP proxy in front of the run's Postgres that can lose a connection at the worst moment: its
// backend is terminated as it becomes ready, and the client reads "ready" (ReadyForQuery) and the
// termination (57P01) in one packet, as it can when a server shuts down or an operator runs
// pg_terminate_backend while a pool is opening a connection.
import { once } from 'node:events';
import { createServer, connect, type Server, type Socket } from 'node:net';
import pg from 'pg';

export class PgProxy {
  private server?: Server;
  private armed?: () => void;
  private readonly sockets = new Set<Socket>();
  port = 0;

  /** `serverUrl`: the real server, also used to terminate backends (as its superuser). */
  constructor(private readonly serverUrl: string) {}

  async start(): Promise<this> {
    this.server = createServer((client) => this.forward(client));
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  /** `url` (a database on the real server) through this proxy. */
  via(url: string): string {
    const proxied = new URL(url);
    proxied.host = `127.0.0.1:${this.port}`;
    return proxied.toString();
  }

  /** The next connection opened through the proxy gets "ready" and its termination together. */
  terminateNextOnReady(): Promise<void> {
    return new Promise((resolve) => (this.armed = resolve));
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private forward(client: Socket): void {
    const upstream = connect(Number(new URL(this.serverUrl).port || 5432), '127.0.0.1');
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    // The server closes a terminated backend's connection at once; what the proxy holds goes first.
    let held = Promise.resolve();
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => void held.then(() => client.end()));
    client.pipe(upstream);
    const done = this.armed;
    this.armed = undefined;
    if (!done) {
      upstream.pipe(client);
      return;
    }
    // Server messages: a type byte and a 4-byte length (which counts itself). Forward them until
    // ReadyForQuery ('Z'); hold it, terminate the backend (its pid came in BackendKeyData, 'K'),
    // and send it with what the server says next, the 57P01 ErrorResponse, in one write.
    let buffered = Buffer.alloc(0);
    let pid: number | undefined;
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      let at = 0;
      while (buffered.length - at >= 5) {
        const type = String.fromCharCode(buffered[at]);
        const length = buffered.readInt32BE(at + 1);
        if (buffered.length - at < length + 1) break;
        if (type === 'K') pid = buffered.readInt32BE(at + 5);
        if (type === 'Z') {
          upstream.off('data', onData);
          client.write(buffered.subarray(0, at));
          held = this.holdAndTerminate(client, upstream, buffered.subarray(at), pid!).then(done);
          return;
        }
        at += length + 1;
      }
      client.write(buffered.subarray(0, at));
      buffered = buffered.subarray(at);
    };
    upstream.on('data', onData);
  }

  private async holdAndTerminate(client: Socket, upstream: Socket, ready: Buffer, pid: number): Promise<void> {
    const next = new Promise<Buffer>((resolve) => upstream.once('data', resolve));
    const admin = new pg.Client({ connectionString: this.serverUrl });
    admin.on('error', () => undefined);
    await admin.connect();
    try {
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    } finally {
      await admin.end();
    }
    client.write(Buffer.concat([ready, await next]));
    upstream.pipe(client);
  }
}
