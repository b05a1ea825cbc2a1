/** Bearer shared-secret check for the package's sync requests. */
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Constant-time comparison: both sides are hashed to a fixed length first, so neither the content nor the
 * length of the secret leaks through timing.
 */
export function bearerMatches(header: string | undefined, secret: string): boolean {
  const match = typeof header === 'string' ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header) : null;
  const presented = match?.[1] ?? '';
  return timingSafeEqual(digest(presented), digest(secret)) && presented.length > 0;
}
