// Requests written on a raw socket, to see what Nectr answers before a body is sent, whether it
// sends `100 Continue`, and whether it closes the connection.
import { connect, type Socket } from 'node:net';
import type { TestApp } from './test-app.js';

export interface RawAnswer {
  /** Everything Nectr wrote, interim answers included. */
  text: string;
  /** The final status (not 100). */
  status: number;
  /** Nectr closed the connection. */
  closed: boolean;
  socket: Socket;
}

export const portOf = (t: TestApp) => (t.app.getHttpServer().address() as { port: number }).port;

/**
 * Writes the request head (and `body`, if any), then waits for a final answer and up to `closeWithinMs`
 * for Nectr to close the connection. The body is never sent unless given.
 */
export function rawRequest(
  t: TestApp,
  head: Record<string, string | number>,
  options: {
    body?: Buffer;
    path?: string;
    method?: string;
    closeWithinMs?: number;
    onContinue?: (s: Socket) => void;
  } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(portOf(t), '127.0.0.1');
    let text = '';
    let closed = false;
    let answered = false;
    const finalStatus = () =>
      [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1])).find((code) => code >= 200);
    const settle = () => resolve({ text, status: finalStatus() ?? 0, closed, socket });
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      if (/HTTP\/1\.1 100/.test(text) && options.onContinue && !answered) options.onContinue(socket);
      if (finalStatus() && !answered) {
        answered = true;
        // Settled at once when Nectr closes; the wait only runs out when it does not.
        setTimeout(settle, options.closeWithinMs ?? 5000);
      }
    });
    socket.on('close', () => {
      closed = true;
      if (answered) settle();
      else if (!finalStatus()) reject(new Error(`closed without an answer: ${JSON.stringify(text)}`));
    });
    socket.on('error', () => undefined);
    socket.on('connect', () => {
      const lines = [
        `${options.method ?? 'POST'} ${options.path ?? '/api/v1/webhooks/github'} HTTP/1.1`,
        'Host: nectr',
      ];
      for (const [name, value] of Object.entries(head)) lines.push(`${name}: ${value}`);
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (options.body) socket.write(options.body);
    });
  });
}
