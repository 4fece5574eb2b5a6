import { scrubSecrets, unsafeTailLength } from '../config/secret.ts';
import { scrubShapes } from '../config/secret-shapes.ts';
import { cutAt, escapeControlChars } from '../text/control-chars.ts';

export interface ServerTextOptions {
  /** Whitespace runs squeezed to one space (and the ends trimmed). */
  oneLine?: boolean;
  /** Control characters become spaces instead of visible escapes (a log entry's stack trace on one line). */
  controlsAsSpaces?: boolean;
}

/**
 * Text a server chose (an error body or string, an id, a close reason, page text, a log entry), made fit to
 * quote: every known secret in every wire form taken out, then anything secret-shaped (a JWT, a URL's
 * password, a `password=` field), then (with `oneLine`) whitespace squeezed, control and invisible format
 * characters escaped, and only then cut to `max` characters: scrubbing comes first so that no secret is
 * left half-cut, or split, and so unmatched.
 */
export function serverText(value: string, max = 200, opts: ServerTextOptions = {}): string {
  let text = scrubServerText(value);
  if (opts.controlsAsSpaces) text = text.replace(/\p{Cc}/gu, ' ');
  const clean = escapeControlChars(opts.oneLine ? text.replace(/\s+/g, ' ').trim() : text);
  return clean.length > max ? `${cutAt(clean, max)}…` : clean;
}

/** Server text with every known secret and every secret-shaped part taken out; nothing else changed. */
export function scrubServerText(value: string): string {
  return scrubShapes(scrubSecrets(value));
}

/** Any JSON value a server sent, as a bounded quotable string. */
export function serverValue(value: unknown, max = 120): string {
  return serverText(value === undefined ? 'null' : (JSON.stringify(value) ?? 'null'), max);
}

/**
 * The part of a text that was cut before it could be scrubbed (a body read up to a limit) that is safe to
 * scrub: a secret whose end fell past the cut is not recognised, so the end that could hold its start is
 * dropped (twice the longest form the scope knows). `cut` says whether the text was cut at all.
 */
export function safeHeadOfCut(text: string, cut: boolean): string {
  if (!cut) return text;
  return cutAt(text, Math.max(0, text.length - unsafeTailLength()));
}
