import { describe, expect, it, jest } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookHandler } from './webhook.handler.js';

// The handler's own last line of defence: if answering throws (nothing in it is expected to), the
// delivery still gets a JSON 500 and the failure is logged, not an unhandled rejection.
describe('WebhookHandler', () => {
  it('answers 500 JSON and logs when answering a delivery throws', async () => {
    const errors: string[] = [];
    const logger = { setContext: () => undefined, info: () => undefined, error: (m: string) => errors.push(m) };
    const verifier = { verify: () => Promise.resolve({ ignored: true }) };
    const metrics = {
      webhook: () => {
        throw new Error('metrics broke');
      },
    };
    const handler = new WebhookHandler(verifier as never, {} as never, {} as never, metrics as never, logger as never);
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    const server = createServer(handler.handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/webhooks/github`, {
        method: 'POST',
        body: '{}',
        signal: AbortSignal.timeout(5000),
      });
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ statusCode: 500, message: 'Internal server error' });
      expect(errors).toEqual([expect.stringContaining('metrics broke')]);
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
