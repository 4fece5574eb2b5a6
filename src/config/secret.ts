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
    remember(value);
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

function remember(value: string): void {
  const forms = new Set<string>([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1), Buffer.from(value).toString('base64url'), Buffer.from(value).toString('base64')]);
  // A JWT's signature alone proves possession; its header and payload are not secret.
  const parts = value.split('.');
  if (parts.length === 3 && parts[2]!.length >= 16) forms.add(parts[2]!);
  const fresh = [...forms].filter((f) => f.length >= MIN_SCRUBBED_LENGTH && !known.includes(f));
  if (fresh.length === 0) return;
  known = [...known, ...fresh].sort((a, b) => b.length - a.length);
}
