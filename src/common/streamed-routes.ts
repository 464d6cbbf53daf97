import {
  ForbiddenException,
  RequestMethod,
  type CanActivate,
  type ExceptionFilter,
  type INestApplication,
  type Type,
} from '@nestjs/common';
import {
  CUSTOM_ROUTE_ARGS_METADATA,
  EXCEPTION_FILTERS_METADATA,
  GUARDS_METADATA,
  HEADERS_METADATA,
  HOST_METADATA,
  HTTP_CODE_METADATA,
  INTERCEPTORS_METADATA,
  METHOD_METADATA,
  PATH_METADATA,
  PIPES_METADATA,
  REDIRECT_METADATA,
  RENDER_METADATA,
  ROUTE_ARGS_METADATA,
  SSE_METADATA,
  VERSION_METADATA,
} from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, ModulesContainer } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Marks a controller whose routes read their own request body (a guard that verifies it as it
 * arrives): no body parser runs for them, whichever way they are served.
 */
export const StreamedBody = DiscoveryService.createDecorator<true>();

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface StreamedRoute {
  method: string;
  /** Lower case, leading slash, no trailing slash: requests match it as express does. */
  path: string;
  /** Serves the route without express or Nest's router: its guards, handler and filters in order. */
  serve: Handler;
}

/** The @StreamedBody routes of the application, found from their controllers' metadata. */
export class StreamedRoutes {
  constructor(readonly routes: StreamedRoute[]) {}

  static discover(app: INestApplication): StreamedRoutes {
    const discovery = new DiscoveryService(app.get(ModulesContainer));
    const scanner = new MetadataScanner();
    const routes: StreamedRoute[] = [];
    for (const wrapper of discovery.getControllers({ metadataKey: StreamedBody.KEY })) {
      const metatype = wrapper.metatype as Type;
      const prototype = metatype.prototype as Record<string, unknown>;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name] as (...args: unknown[]) => unknown;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        routes.push({
          method: RequestMethod[method],
          path: joinPath(Reflect.getMetadata(PATH_METADATA, metatype), Reflect.getMetadata(PATH_METADATA, handler)),
          serve: fastHandler(wrapper, name, handler, method),
        });
      }
    }
    return new StreamedRoutes(routes);
  }

  /** The route a request is for, matched as express does: any case, optional trailing slash, any query. */
  find(req: IncomingMessage): StreamedRoute | undefined {
    if (this.routes.length === 0) return undefined;
    const url = req.url ?? '';
    const query = url.indexOf('?');
    let path = (query === -1 ? url : url.slice(0, query)).toLowerCase();
    if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
    return this.routes.find((route) => route.path === path && route.method === req.method);
  }
}

function joinPath(...parts: unknown[]): string {
  const segments = parts.map((part) => {
    if (typeof part !== 'string') throw new Error('A @StreamedBody route must have a single string path');
    return part.replace(/^\/+|\/+$/g, '');
  });
  const path = `/${segments.filter(Boolean).join('/')}`;
  // Requests are matched by equality (here and by the parsers that skip these routes): a parameter
  // or wildcard would match nothing, and express would parse the body the guard is to read.
  if (/[:*?+(){}]/.test(path))
    throw new Error(`A @StreamedBody route must have a fixed path, without parameters or wildcards: ${path}`);
  return path.toLowerCase();
}

/** What Nest's router would apply to a route and the listener would not: a route using one is refused. */
const NOT_SERVED: Array<[key: string, what: string]> = [
  [INTERCEPTORS_METADATA, '@UseInterceptors'],
  [PIPES_METADATA, '@UsePipes'],
  [HEADERS_METADATA, '@Header'],
  [REDIRECT_METADATA, '@Redirect'],
  [RENDER_METADATA, '@Render'],
  [SSE_METADATA, '@Sse'],
  [HOST_METADATA, 'a host'],
  [VERSION_METADATA, 'a version'],
];

/**
 * The route as Nest would run it, minus what it does not use: the controller's and handler's guards
 * (their instances, from the controller's module), then the handler with its custom parameters,
 * answering JSON (or nothing, when it returns nothing) with its @HttpCode; anything thrown goes to its exception filters. Global guards,
 * interceptors and pipes are not run: a route served this way must not need them.
 */
function fastHandler(
  wrapper: InstanceWrapper,
  name: string,
  handler: (...args: unknown[]) => unknown,
  method: RequestMethod,
): Handler {
  const metatype = wrapper.metatype as Type;
  for (const [key, what] of NOT_SERVED) {
    const set = (Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, metatype)) as unknown;
    if (set !== undefined && !(Array.isArray(set) && set.length === 0))
      throw new Error(
        `${metatype.name}.${name}: a @StreamedBody route runs only guards, exception filters, @HttpCode and custom parameter decorators, not ${what}`,
      );
  }
  const module = wrapper.host!;
  const instanceOf = <T>(enhancer: unknown): T => {
    if (typeof enhancer !== 'function') return enhancer as T;
    const found = module.injectables.get(enhancer as Type)?.instance as T | undefined;
    if (!found) throw new Error(`${(enhancer as Type).name} is not an injectable of ${metatype.name}'s module`);
    return found;
  };
  const listed = (key: string, target: object) => (Reflect.getMetadata(key, target) as unknown[] | undefined) ?? [];
  const guards = [...listed(GUARDS_METADATA, metatype), ...listed(GUARDS_METADATA, handler)].map((guard) =>
    instanceOf<CanActivate>(guard),
  );
  // Nest tries the handler's filters before the controller's.
  const filters = [...listed(EXCEPTION_FILTERS_METADATA, handler), ...listed(EXCEPTION_FILTERS_METADATA, metatype)].map(
    (filter) => instanceOf<ExceptionFilter>(filter),
  );
  if (filters.length === 0) throw new Error(`${metatype.name}: a @StreamedBody controller needs an exception filter`);
  const status =
    (Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined) ??
    (method === RequestMethod.POST ? 201 : 200);
  const params = Object.entries(
    (Reflect.getMetadata(ROUTE_ARGS_METADATA, metatype, name) as
      | Record<
          string,
          { index: number; data: unknown; factory?: (data: unknown, context: ExecutionContextHost) => unknown }
        >
      | undefined) ?? {},
  ).map(([key, param]) => {
    if (!key.includes(CUSTOM_ROUTE_ARGS_METADATA) || !param.factory)
      throw new Error(`${metatype.name}.${name}: a @StreamedBody route takes only custom parameter decorators`);
    return { index: param.index, data: param.data, factory: param.factory };
  });
  const controller = wrapper.instance as Record<string, (...args: unknown[]) => unknown>;

  const run = async (context: ExecutionContextHost, res: ServerResponse): Promise<void> => {
    for (const guard of guards) {
      if (!(await guard.canActivate(context))) throw new ForbiddenException('Forbidden resource');
    }
    const args: unknown[] = [];
    for (const param of params) args[param.index] = param.factory(param.data, context);
    const result = await controller[name](...args);
    if (result === undefined || result === null) {
      // As Nest's router answers a handler that returns nothing (a 204, say): the status alone.
      res.writeHead(status);
      res.end();
      return;
    }
    // As Nest's express adapter: an object as JSON, anything else as text (express's `send`).
    const [body, type] =
      typeof result === 'object'
        ? [JSON.stringify(result), 'application/json']
        : [(result as string | number | boolean).toString(), 'text/html'];
    res.writeHead(status, { 'Content-Type': `${type}; charset=utf-8`, 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  };
  return (req, res) => {
    const context = new ExecutionContextHost([req, res, undefined], metatype, handler);
    context.setType('http');
    run(context, res)
      .catch((error: unknown): void => {
        filters[0].catch(error, context);
      })
      .catch(() => {
        // The filter itself failed: never leave the request hanging.
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ statusCode: 500, message: 'Internal server error' }));
      });
  };
}
