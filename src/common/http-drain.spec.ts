import { afterEach, describe, expect, it, jest } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DRAIN_LIMIT_MS, HttpDrain } from './http-drain.js';

/** One GET on a kept-alive connection: the answer's Connection header. */
async function connectionHeader(port: number, agent: http.Agent): Promise<string | undefined> {
  return new Promise((done, fail) => {
    http
      .get({ host: '127.0.0.1', port, agent }, (res) => {
        res.resume();
        res.on('end', () => done(res.headers.connection));
      })
      .on('error', fail);
  });
}

describe('HttpDrain', () => {
  let server: http.Server | undefined;
  afterEach(() => {
    server?.closeAllConnections();
    server?.close();
    jest.useRealTimers();
  });

  it('keeps connections alive until shutdown begins, then closes each after its answer', async () => {
    server = http.createServer((_req, res) => res.end('ok'));
    const drain = new HttpDrain();
    drain.attach(server);
    await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    const agent = new http.Agent({ keepAlive: true });
    expect(await connectionHeader(port, agent)).toBe('keep-alive');
    drain.onModuleDestroy();
    expect(await connectionHeader(port, agent)).toBe('close');
    agent.destroy();
  });

  it('closes whatever is still open once GitHub would have given up', () => {
    jest.useFakeTimers();
    const closeAllConnections = jest.fn();
    const stub = { prependListener: () => stub, closeAllConnections };
    const drain = new HttpDrain();
    drain.attach(stub as unknown as http.Server);
    drain.onModuleDestroy();
    jest.advanceTimersByTime(DRAIN_LIMIT_MS - 1);
    expect(closeAllConnections).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(closeAllConnections).toHaveBeenCalledTimes(1);
  });
});
