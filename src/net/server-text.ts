import { scrubSecrets } from '../config/secret.ts';
import { cutAt, escapeControlChars } from '../text/control-chars.ts';

/**
 * Text a server chose (an error body or string, an id, a close reason, page text), made fit to quote:
 * every known secret taken out first, then (with `oneLine`) whitespace runs squeezed, then control
 * characters escaped (no ANSI sequence, NUL or lone surrogate reaches a terminal or the JUnit file), then
 * cut to `max` characters. Scrubbing comes first so that no secret is left half-cut, or split, and so unmatched.
 */
export function serverText(value: string, max = 200, { oneLine = false }: { oneLine?: boolean } = {}): string {
  const scrubbed = scrubSecrets(value);
  const clean = escapeControlChars(oneLine ? scrubbed.replace(/\s+/g, ' ').trim() : scrubbed);
  return clean.length > max ? `${cutAt(clean, max)}…` : clean;
}

/** Any JSON value a server sent, as a bounded quotable string. */
export function serverValue(value: unknown, max = 120): string {
  return serverText(value === undefined ? 'null' : (JSON.stringify(value) ?? 'null'), max);
}
