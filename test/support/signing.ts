import { createHmac } from 'node:crypto';

/** What GitHub sends in X-Hub-Signature-256 for a body signed with `secret`. */
export function sign(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
