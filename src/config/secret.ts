import { AsyncLocalStorage } from 'node:async_hooks';
import { inspect } from 'node:util';
import { SecretForms } from './secret-forms.ts';
import { WIRE_FORMS, type WireForm } from './wire-forms.ts';

const REDACTED = '[REDACTED]';

/**
 * Base64 broken into lines (MIME's 76 columns, PEM's 64), raw or as JSON's `\n`: joined before it is looked at,
 * so a secret across a line break is still seen.
 */
const WRAPPED_BASE64 = /[A-Za-z0-9+/_-]{8,}={0,2}(?:(?:\r?\n|\\r\\n|\\n)[A-Za-z0-9+/_-]+={0,2})+/g;
const LINE_BREAK = /\r?\n|\\r\\n|\\n/g;

/**
 * The values one owner must never show. The process's scope holds what configuration gave it (bypass key,
 * password, service secret) for its whole life; a run's scope holds what the run met (issued tokens) and is
 * dropped with the run, and with the spans that still carry it to an exporter.
 */
export class SecretScope {
  readonly #own: SecretForms;
  readonly #parent: SecretScope | undefined;
  readonly #unwraps: boolean;

  /** `table` (every wire form by default) is for tests that take one form out; a child uses its parent's. */
  constructor(parent?: SecretScope, table?: readonly WireForm[]) {
    this.#parent = parent;
    const forms = table ?? parent?.table ?? WIRE_FORMS;
    this.table = forms;
    // The process's set lives as long as the process: worth compiling. A run's is gone with the run.
    this.#own = new SecretForms(forms, { compiled: parent === undefined });
    this.#unwraps = forms.some((row) => row.kind === 'wrapped');
  }

  readonly table: readonly WireForm[];

  remember(value: string): void {
    this.#own.add(value);
  }

  holds(text: string): boolean {
    if (this.#holdsFlat(text)) return true;
    let found = false;
    this.#eachWrapped(text, (joined) => {
      found ||= this.#holdsFlat(joined);
      return '';
    });
    return found;
  }

  /** The run's own values first: a token is replaced whole before a shorter process value inside it is looked for. */
  scrub(text: string): string {
    const joined = this.#eachWrapped(text, (block) => (this.#holdsFlat(block) ? this.#scrubFlat(block) : undefined));
    return this.#scrubFlat(joined);
  }

  /** The longest form of any value held here or above: what a cut must drop from the end of what it kept. */
  get longestForm(): number {
    return Math.max(this.#own.longest, this.#parent?.longestForm ?? 0);
  }

  #holdsFlat(text: string): boolean {
    if (this.#own.foundIn(text)) return true;
    return this.#parent ? this.#parent.#holdsFlat(text) : false;
  }

  #scrubFlat(text: string): string {
    const out = this.#own.replaceIn(text, REDACTED);
    return this.#parent ? this.#parent.#scrubFlat(out) : out;
  }

  /** Every wrapped base64 block of `text` joined and handed to `f`; its answer (when defined) replaces the block. */
  #eachWrapped(text: string, f: (joined: string) => string | undefined): string {
    if (!this.#unwraps || !(text.includes('\n') || text.includes('\\n'))) return text;
    return text.replace(WRAPPED_BASE64, (block) => f(block.replace(LINE_BREAK, '')) ?? block);
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

/**
 * How much of the end of a text cut before it could be scrubbed (a body read up to a limit) may hold the
 * first part of a secret, in any of its forms: twice the longest form (a wrapped form has line breaks too).
 */
export function unsafeTailLength(): number {
  return 2 * currentScope().longestForm;
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
