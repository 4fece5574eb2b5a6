import { serverText } from '../net/server-text.ts';

/** A JSON object Google sent, or an empty one: a field of the wrong type reads as absent. */
export function googleObject(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** A string Google sent (a name, a time, an env value), fit to quote: no control characters, one line, bounded. */
export function googleText(value: unknown, max = 200): string {
  if (typeof value !== 'string') return '';
  // Scrubbed before control characters become spaces: a token wrapped across lines is joined first.
  return serverText(value, max, { oneLine: true, controlsAsSpaces: true });
}
