// A small argv parser that collects every problem instead of stopping at the first (exit 2 lists them all).
// Problems name the flag to fix and never show a value given to a flag that only the environment may set.
import type { FlagSpec } from '../config/flag-values.ts';
import { nearest } from '../text/nearest.ts';

export interface ParsedArgs {
  values: Map<string, string | boolean>;
  positionals: string[];
  problems: string[];
}

export interface ParseOptions {
  /** Why a flag that is not one of this command's is refused, e.g. demo's target URLs. */
  refused?: Readonly<Record<string, string>>;
}

/**
 * Flags people reach for that only the environment may set (docs/configuration.md: secrets come only from the
 * environment). Their value is skipped and never shown: it may be a secret now sitting in shell history.
 */
const ENV_ONLY_FLAGS: Readonly<Record<string, { env: string; secret: boolean }>> = {
  'bypass-key': { env: 'PROBE_E2E_BYPASS_KEY', secret: true },
  'e2e-bypass-key': { env: 'PROBE_E2E_BYPASS_KEY', secret: true },
  password: { env: 'PROBE_USER_PASSWORD', secret: true },
  'user-password': { env: 'PROBE_USER_PASSWORD', secret: true },
  'service-secret': { env: 'PROBE_SERVICE_SECRET', secret: true },
  email: { env: 'PROBE_USER_EMAIL', secret: false },
  'user-email': { env: 'PROBE_USER_EMAIL', secret: false },
  'chromium-path': { env: 'PROBE_CHROMIUM_PATH', secret: false },
  'gcp-access-token': { env: 'PROBE_GCP_ACCESS_TOKEN', secret: true },
  'access-token': { env: 'PROBE_GCP_ACCESS_TOKEN', secret: true },
};

/** Values a person may put after a boolean flag; anything else after one is reported as an argument. */
const BOOL_WORDS = new Set(['true', 'false', 'yes', 'no', 'on', 'off', '1', '0']);

export function parseArgs(argv: readonly string[], specs: readonly FlagSpec[], opts: ParseOptions = {}): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const values = new Map<string, string | boolean>();
  const positionals: string[] = [];
  const problems: string[] = [];
  /** The next argument, when it can be a value (it does not look like a flag). */
  const valueAfter = (i: number): string | undefined => {
    const next = argv[i + 1];
    return next !== undefined && !next.startsWith('--') ? next : undefined;
  };

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
    if (/^-[a-z][a-z-]+$/i.test(arg)) {
      // -timeout-ms: one dash short. Its value (if any) belongs to it, not to the positionals.
      const spec = byName.get(arg.slice(1));
      problems.push(`${arg}: flags start with two dashes${spec ? ` (--${spec.name})` : ''}`);
      if (spec && spec.kind !== 'bool' && valueAfter(i) !== undefined) i++;
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
      problems.push(unknownFlag(name, specs, opts));
      // What follows an unknown flag is most likely its value: skip it, never echo it.
      if (eq === -1 && valueAfter(i) !== undefined) i++;
      continue;
    }
    if (spec.kind === 'bool') {
      if (eq !== -1) problems.push(`--${name}: takes no value (give --${name} alone to turn it on)`);
      else if (BOOL_WORDS.has(valueAfter(i)?.toLowerCase() ?? '')) {
        problems.push(`--${name}: takes no value (give --${name} alone to turn it on), got '${argv[++i]}'`);
      }
      values.set(name, true);
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else if (valueAfter(i) !== undefined) value = argv[++i];
    if (value === undefined || value.trim() === '') {
      problems.push(`--${name}: needs a value (${spec.valueName ?? 'VALUE'})`);
      continue;
    }
    values.set(name, value);
  }
  return { values, positionals, problems };
}

function unknownFlag(name: string, specs: readonly FlagSpec[], opts: ParseOptions): string {
  const refused = opts.refused?.[name];
  if (refused) return `--${name}: unknown flag for this command: ${refused}`;
  const envOnly = ENV_ONLY_FLAGS[name];
  if (envOnly?.secret)
    return (
      `--${name}: unknown flag: secrets are read from the environment only; set ${envOnly.env} (the value given here ` +
      `was neither used nor shown)`
    );
  if (envOnly) return `--${name}: unknown flag: set ${envOnly.env} in the environment instead`;
  const near = nearest(
    name,
    specs.map((s) => s.name),
  );
  return `--${name}: unknown flag${near ? `; did you mean --${near}?` : ''} (see --help)`;
}
