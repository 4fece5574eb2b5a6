import { escapeControlChars } from '../text/control-chars.ts';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for HTML and XML content and attribute values. Characters XML 1.0 forbids even as
 * references (most C0 controls, U+FFFE, lone surrogates) become visible `\uXXXX` text first, so the
 * document stays well-formed whatever a report holds.
 */
export function escapeMarkup(s: string): string {
  return escapeControlChars(s).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}
