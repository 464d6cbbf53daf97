import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Installation } from '../installations/installation.entity.js';
import { InstallationsService } from '../installations/installations.service.js';
import { parseDelivery, repositoryOf, type ParsedDelivery } from './webhook-payload.js';

/** What the guard learnt, handed to the controller on the request. */
export interface WebhookRequest extends Request {
  webhook?: { ignored: true } | { ignored: false; installation: Installation; raw: Buffer; parsed?: ParsedDelivery };
}

/**
 * Steps 1–3 of the contract: skip non-repository hooks, find the installation, verify the
 * signature over the raw bytes. The body is parsed here only when there is no hook id to go by.
 */
@Injectable()
export class WebhookSignatureGuard implements CanActivate {
  constructor(private readonly installations: InstallationsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<WebhookRequest>();
    const targetType = req.header('x-github-hook-installation-target-type');
    if (targetType !== undefined && targetType !== 'repository') {
      req.webhook = { ignored: true };
      return true;
    }
    // No body at all leaves req.body unset: that is zero bytes to sign and to parse.
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    let parsed: ParsedDelivery | undefined;
    let installation: Installation | null = null;
    const hookId = req.header('x-github-hook-id');
    if (hookId !== undefined) {
      const id = /^\d{1,15}$/.test(hookId) ? Number(hookId) : NaN;
      installation = Number.isSafeInteger(id) ? await this.installations.findActiveByHookId(id) : null;
    } else {
      try {
        parsed = parseDelivery(raw, req.header('content-type'));
      } catch {
        // Unreadable: no repository to go by, so the delivery is unknown (it is not verified yet).
      }
      const repository = parsed ? repositoryOf(parsed.body) : {};
      if (repository.id) installation = await this.installations.findActiveByRepositoryId(repository.id);
      if (!installation && repository.fullName) installation = await this.installations.findActive(repository.fullName);
    }
    const locals = context.switchToHttp().getResponse<Response>().locals;
    if (!installation) {
      locals.webhookResult = 'unknown_webhook';
      throw new ForbiddenException('Unknown webhook');
    }
    if (!(await this.installations.verifyDelivery(installation, raw, req.header('x-hub-signature-256')))) {
      locals.webhookResult = 'invalid_signature';
      throw new ForbiddenException('Invalid webhook signature');
    }
    req.webhook = { ignored: false, installation, raw, parsed };
    return true;
  }
}
