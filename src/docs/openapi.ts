import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ErrorBody } from './api-errors.js';

export const DOCS_PATH = 'api/docs';

/**
 * The API description (@nestjs/swagger): Swagger UI at /api/docs, the OpenAPI document at
 * /api/docs-json. It holds no secret, so it is served without the token; the contract it follows is
 * ../shared/spec/API.md. The webhook's contract is in its headers, so it is described here by hand
 * (WebhooksController is excluded from the generated part).
 */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Nectr')
    .setDescription('Connect GitHub repositories; every pull request opened or updated gets an automatic review.')
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API_TOKEN' })
    .addCookieAuth('nectr_session', {
      type: 'apiKey',
      in: 'cookie',
      description:
        "The web UI's session (POST /api/v1/session); every management route takes it in place of the bearer token, with X-CSRF-Token on writes",
    })
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ErrorBody] });
  describeWebhook(document);
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: `${DOCS_PATH}-json`,
    yamlDocumentUrl: `${DOCS_PATH}-yaml`,
  });
}

function describeWebhook(document: OpenAPIObject): void {
  const header = (name: string, required: boolean, description: string) => ({
    name,
    in: 'header' as const,
    required,
    schema: { type: 'string' },
    description,
  });
  const error = (description: string) => ({
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
  });
  document.paths['/api/v1/webhooks/github'] = {
    post: {
      tags: ['webhooks'],
      summary: "GitHub's deliveries",
      description:
        "Called by GitHub, signed with the repository's hook secret (HMAC-SHA256 over the raw body). Stored once, then answered; a reviewable pull_request event is queued for review.",
      parameters: [
        header('X-Hub-Signature-256', true, '`sha256=` + hex HMAC-SHA256(secret, raw body)'),
        header('X-GitHub-Event', true, 'e.g. `pull_request`, `push`, `ping`'),
        header('X-GitHub-Delivery', true, "GitHub's delivery id"),
        header('X-GitHub-Hook-ID', false, 'The hook id Nectr stored at install'),
        header('X-GitHub-Hook-Installation-Target-Type', false, 'Anything but `repository` is ignored'),
      ],
      requestBody: {
        required: true,
        content: {
          'application/json': { schema: { type: 'object', additionalProperties: true } },
          'application/x-www-form-urlencoded': {
            schema: { type: 'object', properties: { payload: { type: 'string', description: 'The JSON payload' } } },
          },
        },
      },
      responses: {
        '200': {
          description:
            '`received` (stored), `duplicate_skipped` (already stored or under review), or `ignored` (not a repository hook)',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['status'],
                properties: {
                  status: { type: 'string', enum: ['received', 'duplicate_skipped', 'ignored'] },
                  event_id: { type: 'string', format: 'uuid' },
                  event_type: { type: 'string', example: 'opened_pull_request' },
                },
              },
            },
          },
        },
        '400': error('Malformed body, or X-GitHub-Event / X-GitHub-Delivery missing'),
        '403': error('`Unknown webhook` (no active installation) or `Invalid webhook signature`'),
        '408': error('Body arriving slower than `WEBHOOK_MIN_KB_PER_SECOND`'),
        '413': error('Body over 25 MB'),
        '415': error('A `Content-Encoding` other than identity'),
        '503': error(
          'Postgres unavailable (nothing was stored), or too many unverified bytes held at once (`Retry-After`)',
        ),
      },
    },
  };
}
