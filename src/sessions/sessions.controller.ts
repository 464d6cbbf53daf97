import { Body, Controller, Delete, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiCookieAuth, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiTokenGuard } from './api-token.guard.js';
import { ApiErrors } from '../docs/api-errors.js';
import { SignInDto } from './dto/sign-in.dto.js';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from './session-cookie.js';
import type { Session } from './session.entity.js';
import { SessionView } from './session.view.js';
import { SessionsService } from './sessions.service.js';

/** The web UI's sign-in: the API token in exchange for an HttpOnly session cookie. */
@ApiTags('session')
@ApiErrors(429)
@Controller('api/v1/session')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Post()
  @HttpCode(200)
  @ApiOkResponse({ type: SessionView, description: 'Signed in: the session cookie is set (HttpOnly, SameSite=Strict)' })
  @ApiErrors(400, 401)
  async signIn(
    @Body() body: SignInDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SessionView> {
    const { cookie, session } = await this.sessions.signIn(body.token);
    setSessionCookie(req, res, cookie, session.expiresAt);
    return toView(session);
  }

  /**
   * Tells the page whether it is signed in (200 either way: being signed out is an answer, not an
   * error), and gives it the CSRF token again after a reload.
   */
  @Get()
  @ApiCookieAuth()
  @ApiOkResponse({ type: SessionView })
  async current(@Req() req: Request): Promise<SessionView> {
    const cookie = readSessionCookie(req);
    const session = cookie ? await this.sessions.find(cookie) : null;
    return session ? toView(session) : { signed_in: false };
  }

  /** Ends the session: the cookie no longer works anywhere, even if a copy of it was kept. */
  @Delete()
  @HttpCode(204)
  @UseGuards(ApiTokenGuard)
  @ApiCookieAuth()
  @ApiNoContentResponse({ description: 'Signed out; needs the X-CSRF-Token header' })
  @ApiErrors(401, 403)
  async signOut(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const cookie = readSessionCookie(req);
    if (cookie) await this.sessions.signOut(cookie);
    clearSessionCookie(req, res);
  }
}

function toView(session: Session): SessionView {
  return { signed_in: true, expires_at: session.expiresAt.toISOString(), csrf_token: session.csrfToken };
}
