import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { LessThan, Repository } from 'typeorm';
import { digest, tokenMatches } from '../common/api-token.js';
import { appConfig } from '../config/index.js';
import { Session } from './session.entity.js';

/** A working day: an operator signs in once in the morning, and a forgotten browser is not signed in for long. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

@Injectable()
export class SessionsService {
  private readonly expected?: Buffer;

  constructor(
    @Inject(appConfig.KEY) app: ConfigType<typeof appConfig>,
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
  ) {
    this.expected = app.apiToken ? digest(app.apiToken) : undefined;
  }

  /** Checks the API token and opens a session; `cookie` is the value only the browser keeps. */
  async signIn(token: string): Promise<{ cookie: string; session: Session }> {
    if (!this.expected) throw new UnauthorizedException('API_TOKEN is not configured on this server');
    if (!tokenMatches(token, this.expected)) throw new UnauthorizedException('Wrong API token');
    // Expired sessions are dropped here rather than by a timer: sign-ins are rare and cheap.
    await this.sessions.delete({ expiresAt: LessThan(new Date()) });
    const cookie = randomBytes(32).toString('base64url');
    const session = await this.sessions.save(
      this.sessions.create({
        idHash: digest(cookie),
        csrfToken: randomBytes(24).toString('base64url'),
        expiresAt: new Date(Date.now() + SESSION_TTL_MS),
      }),
    );
    return { cookie, session };
  }

  /** The live session a cookie names, or null (unknown, signed out or expired). */
  async find(cookie: string): Promise<Session | null> {
    const session = await this.sessions.findOneBy({ idHash: digest(cookie) });
    return session && session.expiresAt.getTime() > Date.now() ? session : null;
  }

  csrfMatches(session: Session, header: string | string[] | undefined): boolean {
    return typeof header === 'string' && tokenMatches(header, digest(session.csrfToken));
  }

  async signOut(cookie: string): Promise<void> {
    await this.sessions.delete({ idHash: digest(cookie) });
  }
}
