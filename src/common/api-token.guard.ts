import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { appConfig } from '../config/index.js';

/**
 * Bearer-token guard for the management API and /metrics. Without API_TOKEN configured (allowed
 * outside production) it fails closed: every request is refused.
 */
@Injectable()
export class ApiTokenGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(@Inject(appConfig.KEY) app: ConfigType<typeof appConfig>) {
    this.expected = app.apiToken ? digest(app.apiToken) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<Request>().headers.authorization;
    if (!this.expected) throw new UnauthorizedException('API_TOKEN is not configured on this server');
    const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
    if (!match) throw new UnauthorizedException('Missing bearer token: send Authorization: Bearer $API_TOKEN');
    // Digests have equal length, so timingSafeEqual never throws and leaks no length.
    if (!timingSafeEqual(digest(match[1].trim()), this.expected)) throw new UnauthorizedException('Invalid API token');
    return true;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
