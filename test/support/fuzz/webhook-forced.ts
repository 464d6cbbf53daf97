// The kinds forced once per run (the first cases), never picked at random: they are slow or big.
import { EXAMPLE_REPO, pullRequestPayload } from '../deliveries.js';
import { LIMIT_25MB } from './fixtures.js';
import type { Rng } from './rng.js';
import { goodRequestBody } from './webhook-bodies.js';
import type { WebhookKind } from './webhook-cases.js';
import type { Draft } from './webhook-oracle.js';

export type ForcedKind = Extract<
  WebhookKind,
  'too-large' | 'at-limit' | 'header-overflow' | 'deep-million' | 'unsigned-deep-nul'
>;

export function forcedDraft(kind: ForcedKind, r: Rng, secret: string): Draft {
  let draft: Draft;
  switch (kind) {
    case 'too-large': {
      const body = Buffer.alloc(LIMIT_25MB + 1 + r.int(0, 1000), 0x20);
      body.write('{"zen":"', 0);
      body.write('"}', body.length - 2);
      draft = { tags: [kind, `${body.length} bytes`], body, signature: { secret }, transport: 413 };
      break;
    }
    case 'at-limit': {
      const p = pullRequestPayload({ number: r.int(1, 99999), sha: r.hex(40) });
      const base = Buffer.byteLength(JSON.stringify({ ...p, pull_request: { ...p.pull_request, body: '' } }));
      p.pull_request.body = 'y'.repeat(LIMIT_25MB - base - 64);
      draft = {
        tags: [kind, '~25 MB signed body'],
        body: Buffer.from(JSON.stringify(p)),
        event: 'pull_request',
        signature: { secret },
      };
      break;
    }
    case 'header-overflow': {
      const g = goodRequestBody(r);
      draft = {
        tags: [kind, '20 kB X-GitHub-Event'],
        body: g.body,
        event: 'e'.repeat(20_000),
        signature: { secret },
        transport: 431,
      };
      break;
    }
    case 'unsigned-deep-nul': {
      // Parsed before anything is verified (no hook id): must be a 403 like any unsigned delivery.
      const depth = 100_000;
      const json = JSON.stringify({
        zen: '\u0000',
        repository: { id: EXAMPLE_REPO.id, full_name: EXAMPLE_REPO.fullName },
      });
      draft = {
        tags: [kind, `NUL plus ${depth} nested arrays, unsigned, no hook id`],
        body: Buffer.from(`${json.slice(0, -1)},"deep":${'['.repeat(depth)}${']'.repeat(depth)}}`),
        hook: null,
        signature: { header: null },
      };
      break;
    }
    case 'deep-million': {
      const depth = 1_000_000;
      const json = JSON.stringify({
        zen: 'deep',
        repository: { id: EXAMPLE_REPO.id, full_name: EXAMPLE_REPO.fullName },
      });
      draft = {
        tags: [kind, `${depth} nested arrays, signed`],
        body: Buffer.from(`${json.slice(0, -1)},"deep":${'['.repeat(depth)}${']'.repeat(depth)}}`),
        signature: { secret },
        edge: true,
      };
      break;
    }
  }
  return draft;
}
