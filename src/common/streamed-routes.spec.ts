import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  Catch,
  Controller,
  createParamDecorator,
  ForbiddenException,
  HttpCode,
  Injectable,
  Post,
  Header,
  UseInterceptors,
  type CallHandler,
  type NestInterceptor,
  UseFilters,
  UseGuards,
  type ArgumentsHost,
  type CanActivate,
  type ExceptionFilter,
  type ExecutionContext,
  type INestApplication,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamedBody, StreamedRoutes } from './streamed-routes.js';

type Req = IncomingMessage & { seen?: string };

@Injectable()
class HeaderGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Req>();
    if (req.headers['x-deny']) throw new ForbiddenException('denied');
    req.seen = String(req.headers['x-name']);
    return true;
  }
}

@Catch()
class JsonFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    if ((host.switchToHttp().getRequest<Req>().headers['x-break'] as string | undefined) !== undefined)
      throw new Error('filter broke');
    const res = host.switchToHttp().getResponse<ServerResponse>();
    res.writeHead(403, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ message: (exception as Error).message }));
  }
}

const Seen = createParamDecorator(
  (_data: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<Req>().seen,
);

@StreamedBody()
@Controller('hooks')
@UseFilters(JsonFilter)
class HooksController {
  @Post('one')
  @HttpCode(202)
  @UseGuards(HeaderGuard)
  one(@Seen() seen: string) {
    return { seen };
  }

  @Post('none')
  @HttpCode(204)
  @UseGuards(HeaderGuard)
  none(): void {}

  @Post('text')
  text(): string {
    return 'plain';
  }
}

@StreamedBody()
@Controller('hooks')
@UseFilters(JsonFilter)
class ParamController {
  @Post(':forge')
  receive() {
    return {};
  }
}

@Injectable()
class Tag implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler) {
    context.switchToHttp().getResponse<ServerResponse>().setHeader('X-Tag', '1');
    return next.handle();
  }
}

@StreamedBody()
@Controller('hooks')
@UseFilters(JsonFilter)
@UseInterceptors(Tag)
class InterceptedController {
  @Post('tagged')
  receive() {
    return {};
  }
}

@StreamedBody()
@Controller('hooks')
@UseFilters(JsonFilter)
class HeaderController {
  @Post('headed')
  @Header('Cache-Control', 'no-store')
  receive() {
    return {};
  }
}

// The fast path derived from a controller's metadata: its path, guard, custom parameter, status code
// and filter, and a 500 when even the filter fails.
describe('StreamedRoutes', () => {
  let app: INestApplication;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [HooksController] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    const routes = StreamedRoutes.discover(app);
    expect(routes.routes.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /hooks/one',
      'POST /hooks/none',
      'POST /hooks/text',
    ]);
    server = createServer((req, res) => {
      const route = routes.find(req);
      if (route) route.serve(req, res);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await app.close();
  });

  const post = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${url}${path}`, { method: 'POST', headers, body: '{}' });
    return { status: res.status, text: await res.text() };
  };

  it('runs the guard, the handler with its custom parameter, and answers with @HttpCode', async () => {
    expect(await post('/hooks/one', { 'x-name': 'octo' })).toEqual({ status: 202, text: '{"seen":"octo"}' });
    expect((await post('/HOOKS/one/?q=1', { 'x-name': 'a' })).status).toBe(202);
    expect((await post('/hooks/two')).status).toBe(404);
  });

  it("answers a handler that returns nothing as Nest's router does: its status, no body", async () => {
    expect(await post('/hooks/none')).toEqual({ status: 204, text: '' });
  });

  it("answers a handler that returns a string as Nest's router does: text/html", async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [HooksController] }).compile();
    const nest = await moduleRef.createNestApplication({ logger: false }).init();
    try {
      const routed = await request(nest.getHttpServer()).post('/hooks/text').send({});
      const fast = await fetch(`${url}/hooks/text`, { method: 'POST', body: '{}' });
      expect({ status: fast.status, type: fast.headers.get('content-type'), text: await fast.text() }).toEqual({
        status: routed.status,
        type: routed.headers['content-type'],
        text: routed.text,
      });
      expect(routed.text).toBe('plain');
    } finally {
      await nest.close();
    }
  });

  it('refuses a route with a parameter: requests could not be matched to it, and a parser would read its body', async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [ParamController] }).compile();
    const other = moduleRef.createNestApplication({ logger: false });
    try {
      expect(() => StreamedRoutes.discover(other)).toThrow(
        'A @StreamedBody route must have a fixed path, without parameters or wildcards: /hooks/:forge',
      );
    } finally {
      await other.close();
    }
  });

  it.each([
    ['@UseInterceptors', InterceptedController, 'InterceptedController.receive'],
    ['@Header', HeaderController, 'HeaderController.receive'],
  ] as const)(
    'refuses a route with %s, which it would not run, rather than serve it without',
    async (what, controller, where) => {
      const moduleRef = await Test.createTestingModule({ controllers: [controller] }).compile();
      const other = moduleRef.createNestApplication({ logger: false });
      try {
        expect(() => StreamedRoutes.discover(other)).toThrow(
          `${where}: a @StreamedBody route runs only guards, exception filters, @HttpCode and custom parameter decorators, not ${what}`,
        );
      } finally {
        await other.close();
      }
    },
  );

  it("hands what the guard throws to the controller's filter, and answers 500 if the filter fails", async () => {
    expect(await post('/hooks/one', { 'x-deny': '1' })).toEqual({ status: 403, text: '{"message":"denied"}' });
    const broken = await post('/hooks/one', { 'x-deny': '1', 'x-break': '1' });
    expect(broken).toEqual({ status: 500, text: '{"statusCode":500,"message":"Internal server error"}' });
  });
});
