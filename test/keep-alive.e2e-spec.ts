// HTTP_KEEP_ALIVE_SECONDS: how long Nectr keeps an idle connection, so that a load balancer that
// keeps its own idle connections to Nectr for 60 s never sends a delivery on one Nectr has closed.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { createTestApp, type TestApp } from './support/test-app.js';

function get(port: number, agent: http.Agent): Promise<{ keepAlive?: string }> {
  return new Promise((done, fail) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/health', agent }, (res) => {
      res.resume();
      res.on('end', () => done({ keepAlive: res.headers['keep-alive'] as string | undefined }));
    });
    req.on('error', fail);
  });
}

describe('idle kept-alive connections', () => {
  let byDefault: TestApp;
  let short: TestApp;
  const port = (t: TestApp) => (t.app.getHttpServer().address() as AddressInfo).port;

  beforeAll(async () => {
    byDefault = await createTestApp({ role: 'api' });
    short = await createTestApp({ role: 'api', shareWith: byDefault, env: { HTTP_KEEP_ALIVE_SECONDS: '1' } });
  });
  afterAll(async () => {
    await short?.close();
    await byDefault?.close();
  });

  it('stay open 65 s by default (longer than a load balancer keeps them), as the answer says', async () => {
    const agent = new http.Agent({ keepAlive: true });
    expect((await get(port(byDefault), agent)).keepAlive).toBe('timeout=65');
    agent.destroy();
  });

  it('are closed by Nectr once HTTP_KEEP_ALIVE_SECONDS have passed', async () => {
    // A raw socket: node's Agent would close it itself, a second before the server's hint.
    const socket = connect(port(short), '127.0.0.1');
    const answer = await new Promise<{ head: string; closedAfter: number }>((done) => {
      let head = '';
      let answeredAt = 0;
      socket.on('data', (chunk) => {
        head += chunk.toString();
        answeredAt ||= Date.now();
      });
      socket.on('close', () => done({ head, closedAfter: Date.now() - answeredAt }));
      socket.write('GET /health HTTP/1.1\r\nHost: nectr\r\n\r\n');
    });
    expect(answer.head).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer.head).toMatch(/\r\nKeep-Alive: timeout=1\r\n/i);
    expect(answer.closedAfter).toBeGreaterThanOrEqual(900);
    expect(answer.closedAfter).toBeLessThan(5000);
  });
});
