import { createHash, timingSafeEqual } from 'node:crypto';

export function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Compares digests, which have equal length: timingSafeEqual never throws and leaks no length. */
export function tokenMatches(given: string, expectedDigest: Buffer): boolean {
  return timingSafeEqual(digest(given), expectedDigest);
}
