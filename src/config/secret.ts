import { AsyncLocalStorage } from 'node:async_hooks';
import { inspect } from 'node:util';
import { SecretForms } from './secret-forms.ts';

const REDACTED = '[REDACTED]';

/**
 * The values one owner must never show. The process's scope holds what configuration gave it (bypass key,
 * password, service secret) for its whole life; a run's scope holds what the run met (issued tokens) and is
 * dropped with the run, and with the spans that still carry it to an exporter.
 */
export class SecretScope {
  readonly #own = new SecretForms();
  readonly #parent: SecretScope | undefined;

  constructor(parent?: SecretScope) {
    this.#parent = parent;
  }

  remember(value: string): void {
    this.#own.add(value);
  }

  holds(text: string): boolean {
    return this.#own.foundIn(text) || (this.#parent?.holds(text) ?? false);
  }

  /** The run's own values first: a token is replaced whole before a shorter process value inside it is looked for. */
  scrub(text: string): string {
    const out = this.#own.replaceIn(text, REDACTED);
    return this.#parent ? this.#parent.scrub(out) : out;
  }
}

const processScope = new SecretScope();
const activeScope = new AsyncLocalStorage<SecretScope>();

/** The scope of the run in whose async context this is called; the process's outside any run. */
function currentScope(): SecretScope {
  return activeScope.getStore() ?? processScope;
}

/**
 * Runs `fn` with a scope of its own for the secrets met on the way (unless one is open already, which it
 * joins: retries and users of one run share it). Whatever reads them (log lines, quotes of server text,
 * the report scrubbed inside `fn`) sees them; once `fn` is over and its spans are exported they are gone.
 */
export function inSecretScope<T>(fn: () => T): T {
  return activeScope.getStore() ? fn() : activeScope.run(new SecretScope(processScope), fn);
}

// Keyed by span context objects (a span keeps its own for life), so an entry goes when its span does.
const scopeOfSpan = new WeakMap<object, SecretScope>();

/** Ties a span (its spanContext()) to the current scope: its exporter runs later, outside the run. */
export function tieToSecretScope(spanContext: object): void {
  const scope = activeScope.getStore();
  if (scope) scopeOfSpan.set(spanContext, scope);
}

/** Runs `fn` (a scrub) in the scope the span was started in, or the process's. */
export function inScopeOfSpan<T>(spanContext: object, fn: () => T): T {
  const scope = scopeOfSpan.get(spanContext);
  return scope ? activeScope.run(scope, fn) : fn();
}

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
  return currentScope().scrub(text);
}

/**
 * Makes `scrubSecrets` take out a value the probe must never show (a token, a refresh token): for the
 * current run, or for the process's life when called outside any run (configuration).
 */
export function rememberSecret(value: string): void {
  currentScope().remember(value);
}

/** True when the text holds a remembered secret in any of its forms: a cheap test before copying anything. */
export function holdsSecret(text: string): boolean {
  return currentScope().holds(text);
}

/** Deeper than any report or log record; a guard against cycles, not a limit real data meets. */
const MAX_DEPTH = 32;

/**
 * Plain data (objects, arrays, strings: a report, a parsed log line) with every string, keys included,
 * scrubbed. Whatever needed no scrubbing is returned as it was (the same object), so a clean value costs
 * one walk and no copy. Non-plain objects (Date, Secret, class instances) are left as they are.
 */
export function scrubDeep<T>(value: T): T {
  return scrubValue(value, 0, currentScope()) as T;
}

function scrubValue(value: unknown, depth: number, scope: SecretScope): unknown {
  if (typeof value === 'string') return scope.scrub(value);
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((item, i) => {
      const scrubbed = scrubValue(item, depth + 1, scope);
      if (scrubbed === item) return;
      out ??= [...value];
      out[i] = scrubbed;
    });
    return out ?? value;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  let changed = false;
  const entries = Object.entries(value).map(([k, v]) => {
    const key = scope.scrub(k);
    const scrubbed = scrubValue(v, depth + 1, scope);
    if (key !== k || scrubbed !== v) changed = true;
    return [key, scrubbed] as const;
  });
  return changed ? Object.fromEntries(entries) : value;
}
