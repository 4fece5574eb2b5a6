// Debian's Chromium under playwright-core, in a fresh profile per run. The profile directory is unique
// (golden-probe-chromium-XXXXXX under the OS temp dir) and on every Chromium process's command line,
// so "no browser outlives the probe" can be checked by looking for it; it is removed on close.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

/**
 * As root in a container, on a closed network: no sandbox (root cannot have one), no GPU, no QUIC, and
 * none of the background traffic (component updates, sync, first-run) that the network would refuse.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
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

export interface LaunchedChromium {
  context: BrowserContext;
  page: Page;
  userDataDir: string;
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
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: [...CHROMIUM_ARGS],
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
    const first = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
    throw new ChromiumUnavailable(`Chromium did not start from ${executablePath}: ${first.slice(0, 200)}`, {
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
    return { context, page, userDataDir, close };
  } catch (err) {
    await close();
    throw err;
  }
}
