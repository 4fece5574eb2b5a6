/**
 * An id the backend chose (a thread's, a message's) that a later request may name in its URL: a non-empty,
 * bounded string that encodeURIComponent can encode (a lone surrogate, valid in JSON, makes it throw URIError).
 */
export function usableId(value: unknown): value is string {
  return typeof value === 'string' && value !== '' && value.length <= 200 && value.isWellFormed();
}
