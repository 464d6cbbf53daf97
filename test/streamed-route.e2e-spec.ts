// A second route that reads its own body (another forge's webhook, say), added as the docs say: a
// controller marked @StreamedBody with its guard and filter, in a module of its own. Its guard reads
// the request itself, not through readBody; it must work with the fast path on and off.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  Catch,
  Controller,
  createParamDecorator,
  ForbiddenException,
  HttpCode,
  HttpException,
  Injectable,
  Module,
  Post,
  UseFilters,
  UseGuards,
  type ArgumentsHost,
  type CanActivate,
  type ExceptionFilter,
  type ExecutionContext,
} from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamedBody } from '../src/common/streamed-routes.js';
import { rawRequest } from './support/raw-requests.js';
import { createTestApp, type TestApp } from './support/test-app.js';

type ForgeRequest = IncomingMessage & { forge?: { bytes: number; payload: unknown } };

@Injectable()
class ForgeTokenGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<ForgeRequest>();
    if (req.headers['x-forge-token'] !== 'forge-secret') throw new ForbiddenException('Invalid forge token');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    req.forge = { bytes: raw.length, payload: JSON.parse(raw.toString('utf8')) };
    return true;
  }
}

@Catch()
class ForgeFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<ServerResponse>();
    const status = exception instanceof HttpException ? exception.getStatus() : 500;
    res.writeHead(status, { 'Content-Type': 'application/json', Connection: 'close' });
    res.end(JSON.stringify({ statusCode: status, message: (exception as Error).message }));
  }
}

const ForgeDelivery = createParamDecorator(
  (_data: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<ForgeRequest>().forge,
);

@StreamedBody()
@Controller('api/v1/webhooks')
@UseFilters(ForgeFilter)
class ForgeController {
  @Post('forge')
  @HttpCode(200)
  @UseGuards(ForgeTokenGuard)
  receive(@ForgeDelivery() delivery: unknown) {
    return { result: 'received', delivery };
  }
}

@Module({ controllers: [ForgeController] })
class ForgeModule {}

describe.each(['on', 'off'])('a second @StreamedBody route, WEBHOOK_FAST_PATH=%s', (fastPath) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ role: 'api', env: { WEBHOOK_FAST_PATH: fastPath }, modules: [ForgeModule] });
  });
  afterAll(async () => {
    await t.close();
  });

  it('gets its body unread by any parser, and answers as its handler says', async () => {
    const res = await t.http
      .post('/api/v1/webhooks/forge')
      .set('x-forge-token', 'forge-secret')
      .set('Content-Type', 'application/json')
      .send('{"hello": "world"}');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ result: 'received', delivery: { bytes: 18, payload: { hello: 'world' } } });
  });

  it("refuses through its own filter, and leaves GitHub's route as it was", async () => {
    const res = await t.http.post('/api/v1/webhooks/forge').set('x-forge-token', 'wrong').send({});
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ statusCode: 403, message: 'Invalid forge token' });
    const github = await t.http.post('/api/v1/webhooks/github').set('Content-Type', 'application/json').send('{}');
    expect(github.body).toEqual({ statusCode: 403, message: 'Unknown webhook' });
  });

  it('sends 100 Continue once its guard reads the body, and none to a request it refuses first', async () => {
    const body = Buffer.from(JSON.stringify({ padding: 'x'.repeat(2000) }));
    const head = { 'Content-Type': 'application/json', 'Content-Length': body.length, Expect: '100-continue' };
    // A client that waits for 100 Continue before it sends, and a guard waiting for the body, wait for
    // each other for good: give up after 5 s.
    const answer = await Promise.race([
      rawRequest(
        t,
        { ...head, 'X-Forge-Token': 'forge-secret' },
        { path: '/api/v1/webhooks/forge', onContinue: (socket) => socket.write(body), closeWithinMs: 200 },
      ),
      new Promise<never>((_resolve, reject) =>
        setTimeout(() => reject(new Error('no 100 Continue and no answer within 5 s')), 5000).unref(),
      ),
    ]);
    answer.socket.destroy();
    expect(answer.text).toMatch(/^HTTP\/1\.1 100 Continue/);
    expect(answer.status).toBe(200);
    expect(answer.text).toContain(`"bytes":${body.length}`);

    const refused = await rawRequest(t, { ...head, 'X-Forge-Token': 'wrong' }, { path: '/api/v1/webhooks/forge' });
    refused.socket.destroy();
    expect(refused.status).toBe(403);
    expect(refused.text).not.toMatch(/HTTP\/1\.1 100/);
  }, 15_000);
});
