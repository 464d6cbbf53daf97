import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { createHmac, randomBytes } from 'node:crypto';
import { LessThan, Repository } from 'typeorm';
import { digest, tokenMatches } from '../common/api-token.js';
import { appConfig } from '../config/index.js';
import { Session } from './session.entity.js';

/** A working day: an operator signs in once in the morning, and a forgotten browser is not signed in for long. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

@Injectable()
export class SessionsService {
  private readonly expected?: Buffer;
  private readonly apiToken?: string;

  constructor(
    @Inject(appConfig.KEY) app: ConfigType<typeof appConfig>,
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
  ) {
    this.apiToken = app.apiToken;
    this.expected = app.apiToken ? digest(app.apiToken) : undefined;
  }

  /**
   * What the table keeps of a cookie: its HMAC-SHA256 under API_TOKEN. A copy of the table cannot be
   * replayed as cookies, and a new API_TOKEN (the old one leaked) ends every session opened with
   * the old one: their rows no longer match any cookie.
   */
  private idHash(cookie: string): Buffer {
    return createHmac('sha256', this.apiToken ?? '')
      .update(cookie)
      .digest();
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
        idHash: this.idHash(cookie),
        csrfToken: randomBytes(24).toString('base64url'),
        expiresAt: new Date(Date.now() + SESSION_TTL_MS),
      }),
    );
    return { cookie, session };
  }

  /** The live session a cookie names, or null (unknown, signed out or expired). */
  async find(cookie: string): Promise<Session | null> {
    if (!this.apiToken) return null;
    const session = await this.sessions.findOneBy({ idHash: this.idHash(cookie) });
    return session && session.expiresAt.getTime() > Date.now() ? session : null;
  }

  csrfMatches(session: Session, header: string | string[] | undefined): boolean {
    return typeof header === 'string' && tokenMatches(header, digest(session.csrfToken));
  }

  async signOut(cookie: string): Promise<void> {
    await this.sessions.delete({ idHash: this.idHash(cookie) });
  }
}
