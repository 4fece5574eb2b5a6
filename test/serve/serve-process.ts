// Helpers for the serve tests: a double started by the test, and `golden-probe serve` as a real child
// process on 127.0.0.1 with --port 0, whose bound URL is read from its "listening" JSON log line.
// Not a test file itself.
import { type ChildProcess, spawn } from 'node:child_process';
import { type DoubleOptions, type FaultName, type RunningDouble, startDouble } from '../../src/double/index.ts';
import { assertValidReportsIn } from '../support/report-schema.ts';
import { BIN } from '../support/run-cli.ts';

// Test-only values, made up here.
export const CREDENTIALS = {
  bypassKey: 'serve-test-bypass-key-7f3a9c',
  userEmail: 'serve-probe@example.test',
  userPassword: 'serve-test-password-2b8d1e',
  serviceSecret: 'serve-test-service-secret-5c4e0a',
  jwtSecret: 'serve-test-jwt-secret-long-enough-0123456789abcdef',
} as const;
export const SECRETS = [
  CREDENTIALS.bypassKey,
  CREDENTIALS.userPassword,
  CREDENTIALS.serviceSecret,
  CREDENTIALS.jwtSecret,
];

export function startTestDouble(fault: FaultName, extra: Partial<DoubleOptions> = {}): Promise<RunningDouble> {
  return startDouble({ fault, credentials: { ...CREDENTIALS }, ...extra });
}

/** The probe's environment for a double: its URLs and the credentials, nothing inherited that changes behaviour. */
export function envFor(double: RunningDouble): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('PROBE_') || k.startsWith('OTEL_') || k === 'NODE_TEST_CONTEXT' || k === 'PORT') continue;
    env[k] = v;
  }
  return {
    ...env,
    PROBE_API_URL: double.apiUrl,
    PROBE_AUTH_URL: double.authUrl,
    PROBE_WS_URL: double.wsUrl,
    PROBE_E2E_BYPASS_KEY: CREDENTIALS.bypassKey,
    PROBE_USER_EMAIL: CREDENTIALS.userEmail,
    PROBE_USER_PASSWORD: CREDENTIALS.userPassword,
    PROBE_SERVICE_SECRET: CREDENTIALS.serviceSecret,
  };
}

export type LogLine = Record<string, unknown> & { message?: string; event?: string };

export interface ServeProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Every JSON log line so far. */
  lines(): LogLine[];
  stdout(): string;
  stderr(): string;
  /** Resolves with the first log line (past or future) that matches, or rejects after timeoutMs. */
  waitFor(match: (line: LogLine) => boolean, timeoutMs: number, what: string): Promise<LogLine>;
  /** Sends a signal and waits for the exit (bounded); the time from the signal to the exit. */
  stop(
    signal?: NodeJS.Signals,
    timeoutMs?: number,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
  /** SIGKILL if still running; for after/finally. */
  kill(): void;
}

/**
 * Spawns `golden-probe serve --host 127.0.0.1 --port 0 ...args` and waits for its listening line. Without
 * --oidc-audience in `args` it is served open on purpose (--allow-unauthenticated), and without
 * --min-run-interval in `args` POST /run has no minimum interval (tests trigger runs back to back);
 * `defaultHost` leaves --host out (the default address is the test).
 */
export async function spawnServe(
  args: readonly string[],
  env: Record<string, string | undefined>,
  startTimeoutMs = 20_000,
  opts: { defaultHost?: boolean } = {},
): Promise<ServeProcess> {
  const host = opts.defaultHost ? [] : ['--host', '127.0.0.1'];
  const open = args.includes('--oidc-audience') ? [] : ['--allow-unauthenticated'];
  const interval = args.includes('--min-run-interval') ? [] : ['--min-run-interval', '0'];
  const all = ['serve', ...host, '--port', '0', ...open, ...interval, ...args];
  const child = spawn(process.execPath, [BIN, ...all], {
    env: env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let partial = '';
  const lines: LogLine[] = [];
  const waiters = new Set<{ match: (l: LogLine) => boolean; resolve: (l: LogLine) => void }>();
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    partial += chunk.toString();
    for (let nl = partial.indexOf('\n'); nl !== -1; nl = partial.indexOf('\n')) {
      const text = partial.slice(0, nl);
      partial = partial.slice(nl + 1);
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        continue;
      }
      lines.push(line);
      for (const w of waiters) {
        if (w.match(line)) {
          waiters.delete(w);
          w.resolve(line);
        }
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );

  const waitFor = (match: (l: LogLine) => boolean, timeoutMs: number, what: string) => {
    const seen = lines.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise<LogLine>((resolve, reject) => {
      const w = {
        match,
        resolve: (l: LogLine) => {
          clearTimeout(timer);
          resolve(l);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(w);
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ` +
              `${what}\nstdout:\n${out.slice(-4000)}\nstderr:\n${err.slice(-2000)}`,
          ),
        );
      }, timeoutMs);
      waiters.add(w);
      void exited.then(({ code, signal }) => {
        if (!waiters.has(w)) return;
        waiters.delete(w);
        clearTimeout(timer);
        reject(
          new Error(
            `serve exited (code ${code}, signal ${signal}) before ` +
              `${what}\nstdout:\n${out.slice(-4000)}\nstderr:\n${err.slice(-2000)}`,
          ),
        );
      });
    });
  };

  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };

  let listening: LogLine;
  try {
    listening = await waitFor((l) => l.event === 'listening', startTimeoutMs, 'the listening log line');
  } catch (e) {
    kill();
    throw e;
  }
  return {
    url: listening.url as string,
    port: listening.port as number,
    child,
    lines: () => [...lines],
    stdout: () => out,
    stderr: () => err,
    waitFor,
    kill,
    async stop(signal = 'SIGTERM', timeoutMs = 15_000) {
      const t0 = performance.now();
      if (child.exitCode !== null || child.signalCode !== null) return { ...(await exited), ms: 0 };
      child.kill(signal);
      const timer = setTimeout(kill, timeoutMs);
      const result = await exited;
      clearTimeout(timer);
      return { ...result, ms: performance.now() - t0 };
    },
  };
}

/** One sample's value from Prometheus text exposition: `name` with exactly these labels (none: `{}`). */
export function sampleValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(',');
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = (m[2] ?? '')
      .split(/,(?=[a-zA-Z_]\w*=")/)
      .filter(Boolean)
      .sort()
      .join(',');
    if (got === want) return m[3] === '+Inf' ? Infinity : Number(m[3]);
  }
  return undefined;
}

export async function getText(url: string): Promise<{ status: number; text: string; headers: Headers }> {
  const res = await fetch(url);
  return { status: res.status, text: await res.text(), headers: res.headers };
}

export async function postRun(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${url}/run`, { method: 'POST', headers });
  const json = JSON.parse(await res.text()) as Record<string, unknown>;
  assertValidReportsIn(json, `POST /run answer (HTTP ${res.status})`);
  return { status: res.status, json, headers: res.headers };
}
