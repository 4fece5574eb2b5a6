// Secret handling shared by both services: constant-time comparison and fresh random values
// for the faults that rotate a secret. Neither ever logs or returns the values it handles.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function sameSecret(given: string, expected: string): boolean {
  // Hash first so lengths match; timingSafeEqual then hides where the strings differ.
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}
