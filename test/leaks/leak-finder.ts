// Finds secret values in captured output. A finding names the channel, the secret's NAME and a little
// context before it, never the value: a failing leak test must not print the secret it caught.

export interface Needle {
  /** What it is, e.g. "bypass key (base64url)" or "signature of access token #2". Shown on a leak. */
  name: string;
  value: string;
  /**
   * Also look for any `fragmentLength`-char piece of the value: a secret cut by a clip (a 200-char
   * evidence line, a 123-byte close reason) still leaks the part that survived.
   */
  fragmentLength?: number;
}

export interface Leak {
  channel: string;
  needle: string;
  /** Where in the channel's text. */
  at: number;
  /** Up to 24 characters before the find, with any part of the needle itself cut out. */
  before: string;
}

export interface Channel {
  name: string;
  text: string;
}

const CONTEXT = 24;

/** The forms a secret takes on the wire or in a report: raw, URL-encoded, JSON-escaped, base64 and base64url. */
export function formsOf(name: string, value: string, fragmentLength?: number): Needle[] {
  const forms: Array<[string, string]> = [
    ['', value],
    [' (URL-encoded)', encodeURIComponent(value)],
    [' (JSON-escaped)', JSON.stringify(value).slice(1, -1)],
    [' (base64)', Buffer.from(value).toString('base64')],
    [' (base64url)', Buffer.from(value).toString('base64url')],
  ];
  const seen = new Set<string>();
  const needles: Needle[] = [];
  for (const [suffix, v] of forms) {
    if (seen.has(v)) continue;
    seen.add(v);
    needles.push({
      name: `${name}${suffix}`,
      value: v,
      ...(suffix === '' && fragmentLength ? { fragmentLength } : {}),
    });
  }
  return needles;
}

/**
 * Needles for an issued JWT: the token, its signature part (and pieces of it), and its base64/base64url (the
 * `jwt.<b64url>` subprotocol).
 */
export function tokenNeedles(name: string, token: string): Needle[] {
  const signature = token.split('.')[2] ?? '';
  return [
    ...formsOf(name, token),
    ...(signature.length >= 16 ? [{ name: `signature of ${name}`, value: signature, fragmentLength: 16 }] : []),
  ];
}

export function findLeaks(channels: readonly Channel[], needles: readonly Needle[]): Leak[] {
  const leaks: Leak[] = [];
  for (const channel of channels) {
    for (const needle of needles) {
      const whole = channel.text.indexOf(needle.value);
      if (whole !== -1) {
        leaks.push({
          channel: channel.name,
          needle: needle.name,
          at: whole,
          before: contextBefore(channel.text, whole, 0, needles),
        });
        continue;
      }
      const n = needle.fragmentLength;
      if (!n || needle.value.length <= n) continue;
      for (let offset = 0; offset + n <= needle.value.length; offset++) {
        const at = channel.text.indexOf(needle.value.slice(offset, offset + n));
        if (at === -1) continue;
        leaks.push({
          channel: channel.name,
          needle: `${needle.name} (a ${n}-char piece from char ${offset})`,
          at,
          before: contextBefore(channel.text, at, offset, needles),
        });
        break;
      }
    }
  }
  return leaks;
}

/**
 * The text before a find; when the find starts `offset` chars into the secret, those chars may precede it:
 * cut. Any piece of any needle (another secret just before this one) is masked with •.
 */
function contextBefore(text: string, at: number, offset: number, needles: readonly Needle[]): string {
  const end = Math.max(0, at - offset);
  return mask(text.slice(Math.max(0, end - CONTEXT), end), needles).replace(/\s+/g, ' ');
}

const MASKED_PIECE = 5;

function mask(context: string, needles: readonly Needle[]): string {
  const hidden = new Array<boolean>(context.length).fill(false);
  for (let i = 0; i + MASKED_PIECE <= context.length; i++) {
    const piece = context.slice(i, i + MASKED_PIECE);
    if (needles.some((n) => n.value.includes(piece))) hidden.fill(true, i, i + MASKED_PIECE);
  }
  return [...context].map((c, i) => (hidden[i] ? '•' : c)).join('');
}

export function describeLeaks(leaks: readonly Leak[]): string {
  return leaks
    .map((l) => `  - ${l.channel}: ${l.needle} at char ${l.at}, after ${JSON.stringify(l.before)}`)
    .join('\n');
}
