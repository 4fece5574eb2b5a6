import { inspect } from 'node:util';

/** Replaces every secret value the process has seen, in any of the forms it takes on the wire. */
const REDACTED = '[REDACTED]';

/** Shorter values would turn ordinary words into "[REDACTED]"; real secrets and tokens are far longer. */
const MIN_SCRUBBED_LENGTH = 4;

// Longest first, so a token is replaced whole before its signature part is looked for.
let known: string[] = [];

/**
 * A secret value that cannot leak by accident: JSON.stringify, util.inspect, template strings and
 * pino all see "[REDACTED]". Only `reveal()` gives the value, at the one place that puts it on the wire.
 * Every Secret is also remembered, so `scrubSecrets` can take it out of text that a server echoed back.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
    rememberSecret(value);
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

/**
 * Text from outside (response bodies, close reasons, error frames, page text) with every known secret
 * taken out. A hostile or buggy server may echo the request's headers or body, bypass key and token included.
 */
export function scrubSecrets(text: string): string {
  let out = text;
  for (const value of known) if (out.includes(value)) out = out.replaceAll(value, REDACTED);
  return out;
}

/** Makes `scrubSecrets` take out a value the probe never sends but must never show (a refresh token). */
export function rememberSecret(value: string): void {
  const forms = new Set<string>([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1), Buffer.from(value).toString('base64url'), Buffer.from(value).toString('base64')]);
  // A JWT's signature alone proves possession; its header and payload are not secret.
  const parts = value.split('.');
  if (parts.length === 3 && parts[2]!.length >= 16) forms.add(parts[2]!);
  const fresh = [...forms].filter((f) => f.length >= MIN_SCRUBBED_LENGTH && !known.includes(f));
  if (fresh.length === 0) return;
  known = [...known, ...fresh].sort((a, b) => b.length - a.length);
}

/** True when the text holds a remembered secret in any of its forms: a cheap test before copying anything. */
export function holdsSecret(text: string): boolean {
  for (const value of known) if (text.includes(value)) return true;
  return false;
}

/** Deeper than any report or log record; a guard against cycles, not a limit real data meets. */
const MAX_DEPTH = 32;

/**
 * Plain data (objects, arrays, strings: a report, a parsed log line) with every string, keys included,
 * scrubbed. Whatever needed no scrubbing is returned as it was (the same object), so a clean value costs
 * one walk and no copy. Non-plain objects (Date, Secret, class instances) are left as they are.
 */
export function scrubDeep<T>(value: T): T {
  return known.length === 0 ? value : (scrubValue(value, 0) as T);
}

function scrubValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return scrubSecrets(value);
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((item, i) => {
      const scrubbed = scrubValue(item, depth + 1);
      if (scrubbed !== item) (out ??= [...value])[i] = scrubbed;
    });
    return out ?? value;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  let changed = false;
  const entries = Object.entries(value).map(([k, v]) => {
    const key = scrubSecrets(k);
    const scrubbed = scrubValue(v, depth + 1);
    if (key !== k || scrubbed !== v) changed = true;
    return [key, scrubbed] as const;
  });
  return changed ? Object.fromEntries(entries) : value;
}
