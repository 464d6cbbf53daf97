// The attacking and the real clients of `npm run attack`, on raw sockets so the attacker costs little.
import { createHmac, randomUUID } from 'node:crypto';
import { request, Agent } from 'node:http';
import { connect, type Socket } from 'node:net';
import { REPO, WEBHOOK_PATH } from '../bench/settings.js';

export const MB = 1024 * 1024;
const CHUNK = Buffer.alloc(MB, 'a');

export interface Upload {
  hookId?: number;
  /** Declared with Content-Length when set, else sent chunked. */
  declare: boolean;
  bytes: number;
  headers?: Record<string, string>;
}

export interface UploadResult {
  status: number;
  /** Body bytes written before Nectr answered or closed. */
  sent: number;
  continued: boolean;
}

/** Sends one upload as fast as the socket takes it, until Nectr answers or closes. */
export function upload(port: number, u: Upload): Promise<UploadResult> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    let head = '';
    let sent = 0;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      socket.destroy();
      const codes = [...head.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
      const status = codes.find((code) => code >= 200) ?? 0;
      done({ status, sent, continued: codes.includes(100) });
    };
    socket.on('data', (chunk) => {
      head += chunk.toString('latin1');
      if (/HTTP\/1\.1 [2-5]\d\d/.test(head)) finish();
    });
    socket.on('close', finish);
    socket.on('error', finish);
    socket.on('connect', () => {
      const lines = [
        `POST ${WEBHOOK_PATH} HTTP/1.1`,
        'Host: 127.0.0.1',
        'Content-Type: application/json',
        'X-GitHub-Event: push',
        `X-GitHub-Delivery: ${randomUUID()}`,
        'X-GitHub-Hook-Installation-Target-Type: repository',
        `X-Hub-Signature-256: sha256=${'0'.repeat(64)}`,
        u.declare ? `Content-Length: ${u.bytes}` : 'Transfer-Encoding: chunked',
        ...(u.hookId === undefined ? [] : [`X-GitHub-Hook-ID: ${u.hookId}`]),
        ...Object.entries(u.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
      ];
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      const pump = () => {
        while (!finished && sent < u.bytes) {
          const size = Math.min(MB, u.bytes - sent);
          const piece = size === MB ? CHUNK : CHUNK.subarray(0, size);
          sent += size;
          const ok = u.declare
            ? socket.write(piece)
            : socket.write(`${size.toString(16)}\r\n`) && socket.write(piece) && socket.write('\r\n');
          if (!ok) return void socket.once('drain', pump);
        }
        if (!finished && !u.declare) socket.write('0\r\n\r\n');
      };
      // Like curl, a client that sent `Expect: 100-continue` waits for an answer (or a second) before
      // the body; pushing it at once races the refusal, whose close can reset the connection first.
      const expects = Object.entries(u.headers ?? {}).some(([k, v]) => /^expect$/i.test(k) && /100-continue/i.test(v));
      if (!expects) return pump();
      const wait = setTimeout(pump, 1000);
      socket.once('data', () => {
        clearTimeout(wait);
        if (!finished) pump();
      });
    });
  });
}

/** Keeps `concurrency` uploads going until `until`; returns the answers' statuses by count. */
export async function flood(port: number, concurrency: number, until: number, u: Upload) {
  const statuses = new Map<number, number>();
  let bytes = 0;
  const lane = async () => {
    while (Date.now() < until) {
      const result = await upload(port, u);
      statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
      bytes += result.sent;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { statuses: Object.fromEntries(statuses), uploadedMb: Math.round(bytes / MB) };
}

/** A real delivery (a signed push) on a new connection, as GitHub sends one; its status and time. */
export function realDelivery(port: number, hookId: number, secret: string): Promise<{ status: number; ms: number }> {
  const body = Buffer.from(
    JSON.stringify({
      ref: 'refs/heads/main',
      after: randomUUID(),
      repository: { id: REPO.id, full_name: REPO.fullName },
    }),
  );
  const startedAt = performance.now();
  return new Promise((done) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: WEBHOOK_PATH,
        agent: new Agent({ keepAlive: false }),
        timeout: 15_000,
        headers: {
          'content-type': 'application/json',
          'content-length': body.length,
          'x-github-event': 'push',
          'x-github-delivery': randomUUID(),
          'x-github-hook-id': hookId,
          'x-github-hook-installation-target-type': 'repository',
          'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => done({ status: res.statusCode ?? 0, ms: Math.round(performance.now() - startedAt) }));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => done({ status: 0, ms: Math.round(performance.now() - startedAt) }));
    req.end(body);
  });
}

/** Real deliveries every `everyMs` until `until`: how many were answered 200 and the slowest. */
export async function realTraffic(port: number, hookId: number, secret: string, until: number, everyMs = 250) {
  const results: Array<Promise<{ status: number; ms: number }>> = [];
  while (Date.now() < until) {
    results.push(realDelivery(port, hookId, secret));
    await new Promise((r) => setTimeout(r, everyMs));
  }
  const done = await Promise.all(results);
  return {
    sent: done.length,
    ok: done.filter((r) => r.status === 200).length,
    slowestMs: Math.max(0, ...done.map((r) => r.ms)),
  };
}

/** Opens `count` connections that never send a byte; returns them with a count of those Nectr closed. */
export async function idleConnections(port: number, count: number) {
  const sockets: Socket[] = [];
  let closed = 0;
  let failed = 0;
  for (let i = 0; i < count; i += 500) {
    await Promise.all(
      Array.from(
        { length: Math.min(500, count - i) },
        () =>
          new Promise<void>((done) => {
            const socket = connect(port, '127.0.0.1', () => done());
            socket.on('error', () => {
              failed++;
              done();
            });
            socket.on('close', () => closed++);
            sockets.push(socket);
          }),
      ),
    );
  }
  return { sockets, closed: () => closed, failed: () => failed };
}
