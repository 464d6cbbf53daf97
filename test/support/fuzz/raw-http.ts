// A raw HTTP client that sends exactly the bytes, path and headers it is given (no URL
// normalisation, no JSON encoding, several values per header allowed), and a bounded-concurrency runner.
import { Agent, request, type IncomingHttpHeaders } from 'node:http';

/** Runs `fn` over `items`, `concurrency` at a time, keeping the order of the results. */
export async function pool<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

export interface RawRequest {
  method: string;
  /** Sent as is: percent-encode anything outside \x21-\xff yourself. */
  path: string;
  headers?: Record<string, string | string[] | undefined>;
  body?: Buffer;
}

export interface RawResponse {
  /** 0 when no answer came (connection error or timeout: see `error`). */
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  ms: number;
  error?: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

export function destroyAgent(): void {
  agent.destroy();
}

/** One HTTP request to 127.0.0.1:`port`, never rejecting: failures come back as status 0. */
export function rawRequest(port: number, req: RawRequest, timeoutMs = 30_000): Promise<RawResponse> {
  const started = Date.now();
  return new Promise((resolve) => {
    let done = false;
    const finish = (res: Omit<RawResponse, 'ms'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ ...res, ms: Date.now() - started });
    };
    const headers: Record<string, string | string[]> = {};
    for (const [key, value] of Object.entries(req.headers ?? {})) if (value !== undefined) headers[key] = value;
    if (req.body && headers['content-length'] === undefined) headers['content-length'] = String(req.body.length);
    let outgoing: ReturnType<typeof request>;
    try {
      outgoing = request({ host: '127.0.0.1', port, method: req.method, path: req.path, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          finish({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', (error) =>
          finish({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
            error: error.message,
          }),
        );
      });
    } catch (error) {
      // Node refused to send it (invalid header or path): a bug in the generator, not the server.
      resolve({ status: -1, headers: {}, text: '', ms: 0, error: `client refused: ${(error as Error).message}` });
      return;
    }
    const timer = setTimeout(() => {
      outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    outgoing.on('error', (error) => finish({ status: 0, headers: {}, text: '', error: error.message }));
    outgoing.end(req.body);
  });
}
