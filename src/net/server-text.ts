import { scrubSecrets } from '../config/secret.ts';

/**
 * Text a server chose (an error string, an id, a close reason), made fit to quote: every known secret
 * taken out first, then cut to `max` characters, so a secret is never left half-cut and therefore unmatched.
 */
export function serverText(value: string, max = 200): string {
  const clean = scrubSecrets(value);
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** Any JSON value a server sent, as a bounded quotable string. */
export function serverValue(value: unknown, max = 120): string {
  return serverText(value === undefined ? 'null' : (JSON.stringify(value) ?? 'null'), max);
}
