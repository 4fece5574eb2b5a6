// Flags as every command declares them, and the value checks that config and the commands share.

export interface FlagSpec {
  name: string;
  kind: 'string' | 'int' | 'bool';
  description: string;
  valueName?: string;
  choices?: readonly string[];
  env?: string;
  defaultText?: string;
}

/** Node's timers (setTimeout, AbortSignal.timeout) hold at most 2^31-1 ms; a longer one fires at once. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Parses a whole number greater than 0 (milliseconds unless `unit` says otherwise), or reports a problem
 * naming where it came from and what is wanted.
 */
export function parsePositiveInt(
  raw: string,
  source: string,
  problems: string[],
  opts: { unit?: string; max?: number } = {},
): number | undefined {
  const unit = opts.unit ?? 'milliseconds';
  const max = opts.max ?? (unit === 'milliseconds' ? MAX_TIMER_MS : Number.MAX_SAFE_INTEGER);
  const text = raw.trim();
  if (!/^\d+$/.test(text)) {
    problems.push(`${source}: ${showValue(raw)} is not a whole number of ${unit}`);
    return undefined;
  }
  const n = Number(text);
  if (n <= 0) {
    problems.push(`${source}: must be greater than 0 (got ${text})`);
    return undefined;
  }
  if (n > max) {
    const why = unit === 'milliseconds' ? ' (about 24.8 days, the longest timer Node.js can set)' : '';
    problems.push(`${source}: must be at most ${max} ${unit}${why}, got ${text}`);
    return undefined;
  }
  return n;
}

/**
 * A value quoted for a one-line problem message: control characters escaped, long values cut, and the
 * user:password part of a URL hidden.
 */
export function showValue(raw: string): string {
  let text = raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#\s]*@/i, '$1…@');
  text = text.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
  if (text.length > 120) text = `${text.slice(0, 117)}…`;
  return `'${text}'`;
}

type Env = Readonly<Record<string, string | undefined>>;

/** A setting's flag value, else its environment variable's (trimmed; blank is unset), with where it came from. */
export function pickSetting(
  flags: ReadonlyMap<string, string | boolean>,
  env: Env,
  spec: FlagSpec,
): { value: string; source: string } | undefined {
  const flag = flags.get(spec.name);
  if (typeof flag === 'string') return { value: flag, source: `--${spec.name}` };
  const fromEnv = spec.env ? env[spec.env]?.trim() : undefined;
  return fromEnv && spec.env ? { value: fromEnv, source: spec.env } : undefined;
}
