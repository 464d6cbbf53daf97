import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Octokit } from '@octokit/rest';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createGithubClient } from './octokit.factory.js';

// Proves the tests load the real, ES-module-only @octokit/rest (not a stand-in) and that it talks
// HTTP to whatever GITHUB_API_URL names, with retry and throttling plugins in place.
describe('createGithubClient', () => {
  let server: Server;
  let baseUrl: string;
  const seen: Array<{ url?: string; headers: IncomingHttpHeaders }> = [];
  let failuresLeft = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url, headers: req.headers });
      if (req.url === '/repos/octo/slow') return; // never answers
      if (failuresLeft > 0) {
        failuresLeft--;
        res.writeHead(502, { 'content-type': 'application/json' }).end('{"message":"bad gateway"}');
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ id: 7, full_name: 'octo/hello' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is the real @octokit/rest', () => {
    // Octokit.VERSION is @octokit/core's; the user agent below carries @octokit/rest's own version.
    expect(Octokit.VERSION).toMatch(/^\d+\./);
    const client = createGithubClient({ apiUrl: baseUrl, retryBaseMs: 1, writeIntervalMs: 0, timeoutMs: 5000 });
    expect(client).toBeInstanceOf(Octokit);
    expect(typeof client.rest.repos.createWebhook).toBe('function');
  });

  it('calls GITHUB_API_URL with the token and a Nectr user agent, and retries a 502', async () => {
    failuresLeft = 2;
    seen.length = 0;
    const statuses: number[] = [];
    const client = createGithubClient({
      token: 't0ken',
      apiUrl: baseUrl,
      retryBaseMs: 1,
      writeIntervalMs: 0,
      timeoutMs: 5000,
      onResponse: (s) => statuses.push(s),
    });
    const { data } = await client.rest.repos.get({ owner: 'octo', repo: 'hello' });
    expect(data.full_name).toBe('octo/hello');
    expect(seen).toHaveLength(3);
    expect(seen[2].url).toBe('/repos/octo/hello');
    expect(seen[2].headers.authorization).toBe('token t0ken');
    expect(seen[2].headers['user-agent']).toMatch(/^nectr-review-bot octokit-rest\.js\/22\./);
    expect(statuses).toContain(200);
  });

  it('gives up on a call GitHub never answers after GITHUB_TIMEOUT_MS', async () => {
    const client = createGithubClient({ apiUrl: baseUrl, retryBaseMs: 1, writeIntervalMs: 0, timeoutMs: 300 });
    const started = Date.now();
    await expect(client.request('GET /repos/octo/slow', { request: { retries: 0 } })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
