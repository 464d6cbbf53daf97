import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'nectr_session';
export const CSRF_HEADER = 'x-csrf-token';

/** The session cookie's value, if the request carries one (no cookie parser is mounted). */
export function readSessionCookie(req: Request): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/**
 * HttpOnly so the page's scripts never read it, SameSite=Strict so no other site's page can send
 * it, Secure when the request came over https (directly, or per `X-Forwarded-Proto` from a proxy
 * `TRUST_PROXY` names: by default one on loopback).
 */
export function setSessionCookie(req: Request, res: Response, value: string, expires: Date): void {
  res.cookie(SESSION_COOKIE, value, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/', expires });
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' });
}
