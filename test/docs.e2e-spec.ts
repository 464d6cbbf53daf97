import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { deliver, EXAMPLE_REPO, example, installRepo } from './support/deliveries.js';
import { createTestApp, type TestApp } from './support/test-app.js';

type Schema = { properties?: Record<string, unknown>; allOf?: Array<{ $ref?: string } & Schema>; $ref?: string };
interface Operation {
  security?: unknown;
  responses: Record<string, { content: Record<string, { schema: Schema }> }>;
}

// The API description is generated from the controllers; these checks keep it true to the
// contract: every endpoint is there, and the documented fields are the ones the API answers with.
describe('API description (/api/docs)', () => {
  let t: TestApp;
  let doc: {
    openapi: string;
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, Schema> };
  };

  /** A schema's property names, following $ref and allOf (a subclass's schema). */
  const fields = (schema: Schema): string[] => {
    if (schema.$ref) return fields(doc.components.schemas[schema.$ref.split('/').pop()!]);
    return [...Object.keys(schema.properties ?? {}), ...(schema.allOf ?? []).flatMap(fields)].sort();
  };
  const answered = (path: string, method: string, status: string) =>
    doc.paths[path][method].responses[status].content['application/json'].schema;

  beforeAll(async () => {
    t = await createTestApp();
    doc = (await t.http.get('/api/docs-json').expect(200)).body;
  });
  afterAll(() => t?.close());

  it('describes every endpoint of the contract, with the bearer token where it is needed', () => {
    expect(doc.openapi).toMatch(/^3\./);
    const routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(routes.sort()).toEqual([
      'DELETE /api/v1/repos/{owner}/{repo}/install',
      'DELETE /api/v1/session',
      'GET /api/v1/events',
      'GET /api/v1/events/{id}',
      'GET /api/v1/repos',
      'GET /api/v1/repos/{owner}/{repo}/config',
      'GET /api/v1/session',
      'GET /api/v1/stats/overview',
      'GET /api/v1/stats/repos',
      'GET /health',
      'GET /health/webhooks',
      'GET /metrics',
      'POST /api/v1/events/{id}/retry',
      'POST /api/v1/repos/{owner}/{repo}/install',
      'POST /api/v1/repos/{owner}/{repo}/install/rotate-secret',
      'POST /api/v1/session',
      'POST /api/v1/webhooks/github',
    ]);
    expect(doc.paths['/api/v1/stats/overview'].get.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/api/v1/session'].post.security).toBeUndefined();
    expect((doc.components as Record<string, Record<string, unknown>>).securitySchemes.cookie).toMatchObject({
      type: 'apiKey',
      in: 'cookie',
      name: 'nectr_session',
    });
    expect(doc.paths['/api/v1/repos'].get.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/health'].get.security).toBeUndefined();
    expect(doc.paths['/health/webhooks'].get.security).toBeUndefined();
    expect(doc.paths['/api/v1/webhooks/github'].post.security).toBeUndefined();
    // Every status the webhook route answers (webhooks.e2e-spec and intake.e2e-spec provoke each).
    expect(Object.keys(doc.paths['/api/v1/webhooks/github'].post.responses).sort()).toEqual([
      '200',
      '400',
      '403',
      '408',
      '413',
      '415',
      '503',
    ]);
    expect(Object.keys(doc.paths['/api/v1/repos/{owner}/{repo}/install'].post.responses).sort()).toEqual([
      '200',
      '201',
      '400',
      '401',
      '404',
      '422',
      '429',
      '502',
      '503',
    ]);
  });

  it('documents exactly the fields the API answers with', async () => {
    const hook = await installRepo(t, EXAMPLE_REPO.fullName, EXAMPLE_REPO.id);
    const installed = (await t.http.get('/api/v1/repos').set(t.auth).expect(200)).body[0];
    expect(fields(answered('/api/v1/repos/{owner}/{repo}/install', 'post', '201'))).toEqual(
      Object.keys(installed).sort(),
    );
    const rotated = (
      await t.http.post(`/api/v1/repos/${EXAMPLE_REPO.fullName}/install/rotate-secret`).set(t.auth).expect(200)
    ).body;
    expect(fields(answered('/api/v1/repos/{owner}/{repo}/install/rotate-secret', 'post', '200'))).toEqual(
      Object.keys(rotated).sort(),
    );

    const config = (await t.http.get(`/api/v1/repos/${EXAMPLE_REPO.fullName}/config`).set(t.auth).expect(200)).body;
    expect(fields(answered('/api/v1/repos/{owner}/{repo}/config', 'get', '200'))).toEqual(Object.keys(config).sort());

    const res = await deliver(t, { event: 'push', payload: example('push'), ...hook }).expect(200);
    const event = (await t.http.get(`/api/v1/events/${res.body.event_id}`).set(t.auth).expect(200)).body;
    expect(fields(answered('/api/v1/events/{id}', 'get', '200'))).toEqual(Object.keys(event).sort());
    const listed = (await t.http.get('/api/v1/events').set(t.auth).expect(200)).body[0];
    expect(fields((answered('/api/v1/events', 'get', '200') as { items: Schema }).items)).toEqual(
      Object.keys(listed).sort(),
    );
    const error = (await t.http.get('/api/v1/events').set(t.auth).query({ limit: 0 }).expect(400)).body;
    expect(fields(doc.components.schemas.ErrorBody)).toEqual(Object.keys(error).sort());
  });

  it("serves Swagger UI and the scripts its page loads (same origin: helmet's CSP allows them)", async () => {
    const page = await t.http.get('/api/docs').redirects(1).expect(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const scripts = [...page.text.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThanOrEqual(2);
    expect(page.text).not.toMatch(/<script>(?!\s*<\/script>)/); // no inline script for the CSP to block
    for (const src of scripts) await t.http.get(new URL(src, 'http://x/api/docs/').pathname).expect(200);
  });
});

// Every relative link of the Markdown docs (and every #anchor in it) leads somewhere: a renamed
// heading or a moved file breaks no reader's link silently.
describe('Markdown docs', () => {
  const root = resolve(import.meta.dirname, '..');
  const pages = ['README.md', 'CHANGELOG.md', ...readdirSync(join(root, 'docs')).map((f) => `docs/${f}`)]
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(root, f));
  /** The text a reader sees as Markdown: fenced blocks and code spans left out. */
  const prose = (file: string) =>
    readFileSync(file, 'utf8')
      .replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '')
      .replace(/`[^`\n]*`/g, '');
  /**
   * GitHub's anchor of each heading: lower case, punctuation dropped (a code span's backticks too,
   * not its text), spaces as hyphens, a repeated one numbered.
   */
  const headingAnchors = (file: string) => {
    const text = readFileSync(file, 'utf8').replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '');
    const seen = new Map<string, number>();
    return new Set(
      [...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => {
        const slug = m[1]
          .trim()
          .toLowerCase()
          .replace(/[^\p{L}\p{N}\s_-]/gu, '')
          .replace(/\s/g, '-');
        const n = seen.get(slug) ?? 0;
        seen.set(slug, n + 1);
        return n ? `${slug}-${n}` : slug;
      }),
    );
  };

  it('link only to files and headings that exist', () => {
    const broken: string[] = [];
    let links = 0;
    for (const page of pages) {
      for (const [, target] of prose(page).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z][a-z+.-]*:/i.test(target)) continue; // https:, mailto:
        links++;
        const [path, anchor] = target.split('#');
        const file = path ? resolve(dirname(page), decodeURI(path)) : page;
        const where = `${relative(root, page)}: ${target}`;
        if (!existsSync(file)) broken.push(`${where} (no such file)`);
        else if (anchor && file.endsWith('.md') && !headingAnchors(file).has(anchor))
          broken.push(`${where} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
    expect(links).toBeGreaterThan(20);
  });
});
