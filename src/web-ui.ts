import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type Request, type Response } from 'express';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where `npm run build` puts the UI (web/dist at the repository's root, from src/ or dist/src/). */
export function webRoot(from = import.meta.dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'web', 'dist');
}

/**
 * Stricter than helmet's default (which allows inline styles): the UI's pages load nothing but
 * their own scripts, styles and API, so an injected script or style has nowhere to run.
 */
const UI_CSP = helmet.contentSecurityPolicy({
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
});

/**
 * The operator's web UI (web/, built by Vite): `/` serves its page and `/assets/` its hashed files.
 * Mounted ahead of Nest's routes; everything the page shows comes from the management API.
 */
export function serveWebUi(server: NestExpressApplication, root = webRoot()): void {
  const app: express.Express = server.getHttpAdapter().getInstance();
  app.use(
    '/assets',
    UI_CSP,
    express.static(join(root, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }),
  );
  app.get(['/', '/index.html'], UI_CSP, (_req: Request, res: Response) => {
    if (!existsSync(join(root, 'index.html')))
      return void res.status(503).json({ statusCode: 503, message: 'The web UI is not built: run npm run build' });
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile('index.html', { root });
  });
}
