// Characters that must not reach a terminal or an XML 1.0 document raw: C0 controls but tab and newline
// (ESC starts ANSI sequences that clear screens and rewrite lines; CR rewrites a line; NUL ends C strings),
// DEL, C1 controls (U+009B is a one-character CSI), U+FFFE/U+FFFF, and lone surrogates. Also the invisible
// format characters that reorder or hide text (a "Trojan Source" U+202E makes evidence read backwards in a
// terminal, an HTML report or a CI viewer): bidi embeddings, overrides and isolates (U+202A-202E,
// U+2066-2069), marks (U+200E/200F, U+061C), zero-width characters (U+200B-200D, U+2060-2064, U+FEFF),
// line and paragraph separators (U+2028/2029), U+180E, U+206A-206F and the interlinear annotations U+FFF9-FFFB.
const CONTROLS =
  '[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u061c\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb\\ufffe\\uffff]';
const LONE_SURROGATES = '[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';
const UNSAFE = new RegExp(`${CONTROLS}|${LONE_SURROGATES}`, 'g');

/**
 * Every unsafe or invisible character written as a visible `\uXXXX` escape: a person still sees that the server sent
 * an escape sequence, and nothing acts on it. Tab and newline stay; `oneLine` callers squeeze them.
 */
export function escapeControlChars(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The first `max` UTF-16 units of `text`, without cutting a surrogate pair in two. */
export function cutAt(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}
