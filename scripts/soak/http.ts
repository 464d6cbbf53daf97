// One HTTP request to 127.0.0.1 for `npm run soak`, from a chosen loopback address (127.0.0.x) so the
// management API's rate limiter sees many clients.
import { Agent, request } from 'node:http';

export interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** Keep-alive connections for webhook deliveries, as GitHub's own sender keeps them. */
export const deliveryAgent = new Agent({ keepAlive: true, maxSockets: 8 });

export function call(
  port: number,
  method: string,
  path: string,
  o: { headers?: Record<string, string>; body?: string | Buffer; from?: string; agent?: Agent } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: o.headers,
        localAddress: o.from,
        agent: o.agent ?? false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}
