// `golden-probe serve`'s own flags (the run flags come from config/run-flags.ts), validated with every
// problem collected and reported at once, each naming its flag.
import type { FlagSpec } from '../config/flag-values.ts';
import { formatDuration, parseDuration } from './duration.ts';

const GOOGLE_JWKS_URL = 'https://www.googleapis.com/oauth2/v3/certs';

const MIN_EVERY_MS = 100;
const MAX_EVERY_MS = 24 * 3_600_000;
const MAX_FAIL_AFTER = 1_000;
/** Between two runs POST /run may start: each logs in, runs the AI agent and writes to staging. */
const DEFAULT_MIN_RUN_INTERVAL_MS = 10_000;
const MAX_MIN_RUN_INTERVAL_MS = 3_600_000;

export const SERVE_FLAGS: readonly FlagSpec[] = [
  {
    name: 'port',
    kind: 'string',
    valueName: 'N',
    env: 'PORT',
    defaultText: '8080; 0 picks a free port',
    description: 'HTTP port for /run, /metrics, /healthz',
  },
  {
    name: 'host',
    kind: 'string',
    valueName: 'HOST',
    defaultText: '127.0.0.1 (loopback only); Cloud Run and Kubernetes need 0.0.0.0',
    description: 'address to listen on',
  },
  {
    name: 'every',
    kind: 'string',
    valueName: 'DURATION',
    defaultText: 'none: on demand only',
    description: 'run on this fixed interval (60s, 5m, 1m30s), first run at start; a run still going skips the tick',
  },
  {
    name: 'fail-after',
    kind: 'string',
    valueName: 'K',
    defaultText: '1',
    description: 'probe_alerting turns 1 after K consecutive failed runs',
  },
  {
    name: 'oidc-audience',
    kind: 'string',
    valueName: 'AUD',
    defaultText: 'none: serve refuses to start unless --allow-unauthenticated',
    description: 'require a Google-signed OIDC ID token for this audience on POST /run',
  },
  {
    name: 'oidc-jwks-url',
    kind: 'string',
    valueName: 'URL',
    defaultText: GOOGLE_JWKS_URL,
    description: 'where the token signing keys are',
  },
  {
    name: 'oidc-allow',
    kind: 'string',
    valueName: 'EMAIL[,EMAIL]',
    defaultText: 'none: required with --oidc-audience',
    description: 'only these verified (service account) emails may call POST /run',
  },
  {
    name: 'allow-unauthenticated',
    kind: 'bool',
    description:
      'serve without --oidc-audience: anyone who reaches the port may start runs and read their reports ' +
      '(only behind something that authenticates, e.g. Cloud Run IAM); warned at every start',
  },
  {
    name: 'min-run-interval',
    kind: 'string',
    valueName: 'DURATION',
    defaultText: '10s',
    description:
      'POST /run starting a run sooner than this after the last run started gets 429 with Retry-After (0: no limit)',
  },
];

export interface OidcOptions {
  audience: string;
  jwksUrl: URL;
  /** Lower-cased emails; undefined: any caller whose token verifies. */
  allow: readonly string[] | undefined;
}

export interface ServeOptions {
  port: number;
  host: string;
  /** Interval between scheduled runs; undefined: POST /run only. */
  everyMs: number | undefined;
  failAfter: number;
  oidc: OidcOptions | undefined;
  /** No OIDC on purpose (--allow-unauthenticated): POST /run is open to whoever reaches the port. */
  unauthenticated: boolean;
  /** The least time between the starts of two runs that POST /run may start; 0: no limit. */
  minRunIntervalMs: number;
}

type Env = Readonly<Record<string, string | undefined>>;

export function loadServeOptions(
  flags: ReadonlyMap<string, string | boolean>,
  env: Env,
  problems: string[],
): ServeOptions {
  const flag = (name: string) => {
    const v = flags.get(name);
    return typeof v === 'string' ? v.trim() : undefined;
  };

  let port = 8080;
  const portFlag = flag('port');
  const portRaw = portFlag ?? (env.PORT?.trim() || undefined);
  if (portRaw !== undefined) {
    const source = portFlag !== undefined ? '--port' : 'PORT';
    const n = /^\d+$/.test(portRaw) ? Number(portRaw) : Number.NaN;
    if (!Number.isInteger(n) || n > 65_535)
      problems.push(`${source}: '${portRaw}' is not a TCP port (0 to 65535; 0 picks a free one)`);
    else port = n;
  }

  const host = flag('host') ?? '127.0.0.1';

  let everyMs: number | undefined;
  const everyRaw = flag('every');
  if (everyRaw !== undefined) {
    everyMs = parseDuration(everyRaw);
    if (everyMs === undefined) {
      problems.push(`--every: '${everyRaw}' is not a duration; write it like 60s, 5m, 1m30s or 500ms`);
    } else if (everyMs < MIN_EVERY_MS || everyMs > MAX_EVERY_MS) {
      problems.push(
        `--every: '${everyRaw}' must be from ${formatDuration(MIN_EVERY_MS)} to ${formatDuration(MAX_EVERY_MS)}`,
      );
      everyMs = undefined;
    }
  }

  let failAfter = 1;
  const failRaw = flag('fail-after');
  if (failRaw !== undefined) {
    const n = /^\d+$/.test(failRaw) ? Number(failRaw) : Number.NaN;
    if (!Number.isInteger(n) || n < 1 || n > MAX_FAIL_AFTER)
      problems.push(`--fail-after: '${failRaw}' must be a whole number from 1 to ${MAX_FAIL_AFTER}`);
    else failAfter = n;
  }

  let minRunIntervalMs = DEFAULT_MIN_RUN_INTERVAL_MS;
  const minRaw = flag('min-run-interval');
  if (minRaw !== undefined) {
    const ms = minRaw === '0' ? 0 : parseDuration(minRaw);
    if (ms === undefined || ms > MAX_MIN_RUN_INTERVAL_MS)
      problems.push(
        `--min-run-interval: '${minRaw}' must be a duration from 0 to ${formatDuration(MAX_MIN_RUN_INTERVAL_MS)} (10s, 1m)`,
      );
    else minRunIntervalMs = ms;
  }

  const oidc = loadOidc(flag, problems);
  const unauthenticated = flags.get('allow-unauthenticated') === true;
  if (oidc && unauthenticated)
    problems.push('--allow-unauthenticated: contradicts --oidc-audience (which requires a token); give one of them');
  if (!oidc && !unauthenticated)
    problems.push(
      'serve needs --oidc-audience AUD with --oidc-allow EMAIL[,EMAIL] (POST /run then requires a Google ID token ' +
        'from those callers), or --allow-unauthenticated to serve POST /run, which starts runs against staging and ' +
        'answers with their reports, to anyone who reaches the port',
    );
  return { port, host, everyMs, failAfter, oidc, unauthenticated, minRunIntervalMs };
}

function loadOidc(flag: (name: string) => string | undefined, problems: string[]): OidcOptions | undefined {
  const audience = flag('oidc-audience');
  const jwksRaw = flag('oidc-jwks-url');
  const allowRaw = flag('oidc-allow');
  if (audience === undefined) {
    for (const [name, value] of [
      ['oidc-jwks-url', jwksRaw],
      ['oidc-allow', allowRaw],
    ] as const) {
      if (value !== undefined)
        problems.push(
          `--${name}: only means something with --oidc-audience (the audience the ID tokens are minted for)`,
        );
    }
    return undefined;
  }

  let jwksUrl = new URL(GOOGLE_JWKS_URL);
  if (jwksRaw !== undefined) {
    try {
      jwksUrl = new URL(jwksRaw);
      if (jwksUrl.protocol !== 'https:' && jwksUrl.protocol !== 'http:')
        problems.push(`--oidc-jwks-url: '${jwksRaw}' must use https (or http)`);
    } catch {
      problems.push(`--oidc-jwks-url: '${jwksRaw}' is not a URL`);
    }
  }

  let allow: string[] | undefined;
  if (allowRaw === undefined) {
    // Any Google service account of any project can mint an ID token for any audience.
    problems.push(
      '--oidc-audience: needs --oidc-allow EMAIL[,EMAIL] (the callers, e.g. scheduler@PROJECT.iam.gserviceaccount.com): ' +
        'any Google account can mint an ID token for any audience',
    );
  } else {
    allow = allowRaw
      .split(',')
      .map((e) => e.trim().toLowerCase())
      .filter(Boolean);
    const bad = allow.filter((e) => !/^[^\s@]+@[^\s@]+$/.test(e));
    if (allow.length === 0)
      problems.push('--oidc-allow: names no email; give EMAIL[,EMAIL], e.g. scheduler@PROJECT.iam.gserviceaccount.com');
    else if (bad.length > 0) problems.push(`--oidc-allow: not an email: ${bad.join(', ')}`);
  }
  return { audience, jwksUrl, allow };
}
