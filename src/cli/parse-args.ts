// A small argv parser that collects every problem instead of stopping at the first (exit 2 lists them all).

export interface FlagSpec {
  name: string;
  kind: 'string' | 'int' | 'bool';
  description: string;
  valueName?: string;
  choices?: readonly string[];
  env?: string;
  defaultText?: string;
}

export interface ParsedArgs {
  values: Map<string, string | boolean>;
  positionals: string[];
  problems: string[];
}

export function parseArgs(argv: readonly string[], specs: readonly FlagSpec[]): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const values = new Map<string, string | boolean>();
  const positionals: string[] = [];
  const problems: string[] = [];

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h') {
      values.set('help', true);
      continue;
    }
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const spec = byName.get(name);
    if (!spec) {
      problems.push(`--${name}: unknown flag (see --help)`);
      continue;
    }
    if (spec.kind === 'bool') {
      if (eq !== -1) problems.push(`--${name}: takes no value`);
      values.set(name, true);
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) value = argv[++i];
    if (value === undefined || value === '') {
      problems.push(`--${name}: needs a value (${spec.valueName ?? 'VALUE'})`);
      continue;
    }
    values.set(name, value);
  }
  return { values, positionals, problems };
}

/** Parses a positive integer, or reports a problem naming where it came from. */
export function parsePositiveInt(raw: string, source: string, problems: string[]): number | undefined {
  if (!/^\d+$/.test(raw.trim())) {
    problems.push(`${source}: '${raw}' is not a whole number of milliseconds`);
    return undefined;
  }
  const n = Number(raw);
  if (n <= 0 || !Number.isSafeInteger(n)) {
    problems.push(`${source}: must be greater than 0 (got ${raw})`);
    return undefined;
  }
  return n;
}
