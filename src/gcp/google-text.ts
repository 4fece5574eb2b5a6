import { serverText } from '../net/server-text.ts';

/** A string Google sent (a name, a time, an env value), fit to quote: no control characters, one line, bounded. */
export function googleText(value: unknown, max = 200): string {
  if (typeof value !== 'string') return '';
  return serverText(value.replace(/\p{Cc}/gu, ' '), max, { oneLine: true });
}
