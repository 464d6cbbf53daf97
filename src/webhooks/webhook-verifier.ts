import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, type BodyRead } from '../common/body-reader.js';
import { GarbageCollectionHint } from '../common/collect-garbage.js';
import { InflightBudget } from '../common/inflight-budget.js';
import { webhooksConfig } from '../config/index.js';
import type { Installation } from '../installations/installation.entity.js';
import { InstallationsService } from '../installations/installations.service.js';
import {
  BODY_LIMIT,
  checkHeaders,
  header,
  invalidSignature,
  UNHOOKED_BODY_LIMIT,
  unknownWebhook,
} from './webhook-headers.js';
import { parseDelivery, repositoryOf, type ParsedDelivery } from './webhook-payload.js';

/** Unverified bodies that held this much at once are collected once they are gone. */
const COLLECT_AFTER_BYTES = 64 * 1024 * 1024;

/** What the guard hands on: a delivery GitHub signed, with its raw bytes (or one to ignore). */
export type VerifiedDelivery =
  { ignored: true } | { ignored: false; installation: Installation; raw: Buffer; parsed?: ParsedDelivery };

/**
 * Steps 1–3 of the contract, spending as little as possible on a sender not yet known to be GitHub:
 * the headers are checked before the body is read; a known hook's body is signed as it arrives,
 * under a shared budget of unverified bytes and a minimum rate; only a small body without a hook id
 * is parsed before it is verified, to find its repository.
 */
@Injectable()
export class WebhookVerifier {
  private readonly budget: InflightBudget;

  constructor(
    private readonly installations: InstallationsService,
    @Inject(webhooksConfig.KEY) private readonly config: ConfigType<typeof webhooksConfig>,
  ) {
    // Once a burst of large bodies is over, their memory is handed back rather than kept until V8's next collection.
    const collect = new GarbageCollectionHint();
    this.budget = new InflightBudget(config.unverifiedBudgetBytes, (peak) => {
      if (peak >= COLLECT_AFTER_BYTES) collect.soon();
    });
  }

  /** Bytes of unverified bodies held right now (for the metrics and the attack script). */
  get unverifiedBytes(): number {
    return this.budget.inUse;
  }

  async verify(req: IncomingMessage, res: ServerResponse): Promise<VerifiedDelivery> {
    const verdict = checkHeaders(req.headers, req.headersDistinct);
    if (verdict.kind === 'ignored') return { ignored: true };
    const signature = header(req.headers, 'x-hub-signature-256');
    if (verdict.kind === 'hook') {
      const installation = await this.installations.findActiveByHookId(verdict.hookId);
      if (!installation) throw unknownWebhook();
      const check = this.installations.signatureCheck(installation, signature);
      const body = await this.read(req, res, BODY_LIMIT, (chunk) => check.update(chunk));
      try {
        const valid =
          (await this.installations.accepts(installation, check)) ||
          (await this.installations.verifyDelivery(installation, body.chunks(), signature, true));
        if (!valid) throw invalidSignature();
        return { ignored: false, installation, raw: body.bytes() };
      } finally {
        body.release();
      }
    }
    const body = await this.read(req, res, UNHOOKED_BODY_LIMIT);
    try {
      const raw = body.bytes();
      const { installation, parsed } = await this.byRepository(raw, header(req.headers, 'content-type'));
      if (!(await this.installations.verifyDelivery(installation, raw, signature))) throw invalidSignature();
      return { ignored: false, installation, raw, parsed };
    } finally {
      body.release();
    }
  }

  private read(req: IncomingMessage, res: ServerResponse, limit: number, onChunk?: (chunk: Buffer) => void) {
    return readBody(req, res, {
      limit,
      budget: this.budget,
      minBytesPerSecond: this.config.minBytesPerSecond,
      onChunk,
    }) satisfies Promise<BodyRead>;
  }

  /** The installation of the repository a small body names (read under UNHOOKED_BODY_LIMIT). */
  private async byRepository(
    raw: Buffer,
    contentType: string | undefined,
  ): Promise<{ installation: Installation; parsed: ParsedDelivery }> {
    let parsed: ParsedDelivery;
    try {
      parsed = parseDelivery(raw, contentType);
    } catch {
      // Unreadable: no repository to go by, so the delivery is unknown (it is not verified yet).
      throw unknownWebhook();
    }
    const repository = repositoryOf(parsed.body);
    let installation: Installation | null = null;
    if (repository.id) installation = await this.installations.findActiveByRepositoryId(repository.id);
    if (!installation && repository.fullName) installation = await this.installations.findActive(repository.fullName);
    if (!installation) throw unknownWebhook();
    return { installation, parsed };
  }
}
