// `golden-probe serve`'s own flags (the run flags come from config/run-flags.ts), validated with every
// problem collected and reported at once, each naming its flag.
import type { FlagSpec } from '../config/flag-values.ts';
import { formatDuration, parseDuration } from './duration.ts';

const GOOGLE_JWKS_URL = 'https://www.googleapis.com/oauth2/v3/certs';

const MIN_EVERY_MS = 100;
const MAX_EVERY_MS = 24 * 3_600_000;
const MAX_FAIL_AFTER = 1_000;

export const SERVE_FLAGS: readonly FlagSpec[] = [
  {
    name: 'port',
    kind: 'string',
    valueName: 'N',
    env: 'PORT',
    defaultText: '8080; 0 picks a free port',
    description: 'HTTP port for /run, /metrics, /healthz',
  },
  { name: 'host', kind: 'string', valueName: 'HOST', defaultText: '0.0.0.0', description: 'address to listen on' },
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
    defaultText: 'none: POST /run is open',
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
    defaultText: 'anyone with a Google token for the audience',
    description: 'only these verified (service account) emails may call POST /run',
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

  const host = flag('host') ?? '0.0.0.0';

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

  return { port, host, everyMs, failAfter, oidc: loadOidc(flag, problems) };
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
  if (allowRaw !== undefined) {
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
