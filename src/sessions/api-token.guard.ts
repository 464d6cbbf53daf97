import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Request } from 'express';
import { appConfig } from '../config/index.js';
import { CSRF_HEADER, readSessionCookie } from './session-cookie.js';
import { SessionsService } from './sessions.service.js';
import { digest, tokenMatches } from '../common/api-token.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Guard for the management API and /metrics: the bearer token, or the web UI's session cookie.
 * A cookie is sent by the browser on its own, so with a cookie every state-changing call must also
 * carry the session's CSRF token in a header, which another site's page cannot read or set.
 * Without API_TOKEN configured (allowed outside production) it fails closed: every request is refused.
 */
@Injectable()
export class ApiTokenGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(
    @Inject(appConfig.KEY) app: ConfigType<typeof appConfig>,
    private readonly sessions: SessionsService,
  ) {
    this.expected = app.apiToken ? digest(app.apiToken) : undefined;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    if (!this.expected) throw new UnauthorizedException('API_TOKEN is not configured on this server');
    const header = req.headers.authorization;
    const cookie = header === undefined ? readSessionCookie(req) : undefined;
    if (cookie) return this.checkSession(req, cookie);
    const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
    if (!match) throw new UnauthorizedException('Missing bearer token: send Authorization: Bearer $API_TOKEN');
    if (!tokenMatches(match[1].trim(), this.expected)) throw new UnauthorizedException('Invalid API token');
    return true;
  }

  private async checkSession(req: Request, cookie: string): Promise<boolean> {
    const session = await this.sessions.find(cookie);
    if (!session) throw new UnauthorizedException('Session expired or signed out: sign in again');
    if (!SAFE_METHODS.has(req.method) && !this.sessions.csrfMatches(session, req.headers[CSRF_HEADER]))
      throw new ForbiddenException('Missing or wrong X-CSRF-Token header for this session');
    return true;
  }
}
