// Debian's Chromium under playwright-core, in a fresh profile per run. The profile directory is unique
// (golden-probe-chromium-XXXXXX under the OS temp dir) and on every Chromium process's command line,
// so "no browser outlives the probe" can be checked by looking for it; it is removed on close.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

/**
 * On a closed network: no GPU, no QUIC, and none of the background traffic (component updates, sync,
 * first-run) that the network would refuse. The sandbox is decided per launch (chromiumSandbox).
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const PROFILE_PREFIX = 'golden-probe-chromium-';

const LAUNCH_TIMEOUT_MS = 30_000;
const CLOSE_TIMEOUT_MS = 5_000;

/**
 * Chromium's sandbox, unless the probe runs as root (Chromium refuses to sandbox itself as root: only then
 * `--no-sandbox`). Debian's package has no setuid helper: the sandbox needs unprivileged user namespaces
 * (the image runs as uid 1000; a Docker default seccomp profile refuses them, and then Chromium does not start).
 */
export function chromiumSandbox(): boolean {
  return process.getuid?.() !== 0;
}

/**
 * Everything Chromium's process is given: nothing of the probe's own environment but where programs and
 * temporary files are, the time zone and language. Never PROBE_* (the bypass key, the password, the service
 * secret), GOOGLE_APPLICATION_CREDENTIALS or any token: a renderer exploit on a sign-in page finds nothing.
 * HOME and the XDG directories are inside the run's own profile, removed with it.
 */
export function chromiumEnvironment(userDataDir: string, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: userDataDir,
    XDG_CONFIG_HOME: join(userDataDir, '.config'),
    XDG_CACHE_HOME: join(userDataDir, '.cache'),
  };
  for (const name of ['TMPDIR', 'TZ', 'LANG', 'LC_ALL']) {
    const v = env[name];
    if (v !== undefined && /^[\w./:@+-]*$/.test(v)) out[name] = v;
  }
  return out;
}

export interface LaunchedChromium {
  context: BrowserContext;
  page: Page;
  userDataDir: string;
  /** False only as root, where Chromium runs with --no-sandbox. */
  sandboxed: boolean;
  /** Closes the browser (every Chromium process) and removes the profile. Safe to call twice. */
  close(): Promise<void>;
}

export class ChromiumUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ChromiumUnavailable';
  }
}

export async function launchChromium(executablePath: string): Promise<LaunchedChromium> {
  const userDataDir = await mkdtemp(join(tmpdir(), PROFILE_PREFIX));
  const sandboxed = chromiumSandbox();
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      // Playwright adds --no-sandbox itself unless told that the sandbox is wanted.
      chromiumSandbox: sandboxed,
      args: [...CHROMIUM_ARGS],
      env: chromiumEnvironment(userDataDir),
      timeout: LAUNCH_TIMEOUT_MS,
      // Playwright's own SIGINT/SIGTERM handlers would close the browser behind the probe's back; the
      // probe closes it itself, after the evidence is taken. Its exit hook still kills it on process.exit.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      viewport: { width: 1280, height: 800 },
      locale: 'en-US',
    });
  } catch (err) {
    await rm(userDataDir, { recursive: true, force: true });
    const message = err instanceof Error ? err.message : String(err);
    const first = message.split('\n')[0] ?? '';
    const why = /No usable sandbox|namespace/i.test(message)
      ? ' (its sandbox needs unprivileged user namespaces, which this container refuses: allow them, e.g. ' +
        "Docker's --security-opt with a seccomp profile that permits them; the probe runs Chromium without " +
        'its sandbox only as root)'
      : '';
    throw new ChromiumUnavailable(`Chromium did not start from ${executablePath}: ${first.slice(0, 200)}${why}`, {
      cause: err,
    });
  }
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await Promise.race([
        context.close(),
        new Promise((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref()),
      ]).catch(() => undefined);
      await rm(userDataDir, { recursive: true, force: true }).catch(() => undefined);
    })();
    return closing;
  };
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    return { context, page, userDataDir, sandboxed, close };
  } catch (err) {
    await close();
    throw err;
  }
}
