import { ForbiddenException, Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import type { Installation } from '../installations/installation.entity.js';
import { InstallationsService } from '../installations/installations.service.js';
import { parseDelivery, repositoryOf, type ParsedDelivery } from './webhook-payload.js';

export type Verified = { ignored: true } | { ignored: false; installation: Installation; parsed?: ParsedDelivery };

/** A delivery refused at steps 2–3; `result` is its label in the webhook metrics. */
export class WebhookRefused extends ForbiddenException {
  constructor(
    message: string,
    readonly result: 'unknown_webhook' | 'invalid_signature',
  ) {
    super(message);
  }
}

/** One header's value (the first, if sent more than once). */
export const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Steps 1–3 of the contract: skip non-repository hooks, find the installation, verify the
 * signature over the raw bytes. The body is parsed here only when there is no hook id to go by.
 */
@Injectable()
export class WebhookVerifier {
  constructor(private readonly installations: InstallationsService) {}

  async verify(headers: IncomingHttpHeaders, raw: Buffer): Promise<Verified> {
    const targetType = header(headers, 'x-github-hook-installation-target-type');
    if (targetType !== undefined && targetType !== 'repository') return { ignored: true };
    let parsed: ParsedDelivery | undefined;
    let installation: Installation | null = null;
    const hookId = header(headers, 'x-github-hook-id');
    if (hookId !== undefined) {
      const id = /^\d{1,15}$/.test(hookId) ? Number(hookId) : NaN;
      installation = Number.isSafeInteger(id) ? await this.installations.findActiveByHookId(id) : null;
    } else {
      try {
        parsed = parseDelivery(raw, header(headers, 'content-type'));
      } catch {
        // Unreadable: no repository to go by, so the delivery is unknown (it is not verified yet).
      }
      const repository = parsed ? repositoryOf(parsed.body) : {};
      if (repository.id) installation = await this.installations.findActiveByRepositoryId(repository.id);
      if (!installation && repository.fullName) installation = await this.installations.findActive(repository.fullName);
    }
    if (!installation) throw new WebhookRefused('Unknown webhook', 'unknown_webhook');
    if (!(await this.installations.verifyDelivery(installation, raw, header(headers, 'x-hub-signature-256')))) {
      throw new WebhookRefused('Invalid webhook signature', 'invalid_signature');
    }
    return { ignored: false, installation, parsed };
  }
}
