// Helpers for the browser-login tests (not a test file): a per-test temp dir that the probe uses as its
// TMPDIR, so its Chromium profile (and every Chromium process, whose command line names the profile) can
// be found; a scan of /proc for such processes; and a frontend that never answers.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { type RunningDouble, startDouble } from '../../src/double/index.ts';
import type { DoubleCredentials } from '../../src/double/types.ts';

/** The Chromium the probe uses; the browser tests need it (CI's .ci/run installs Debian's). */
export const CHROMIUM = process.env.PROBE_CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SKIP_NO_CHROMIUM = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium)`;

/** A fresh directory to hand the probe as TMPDIR; its Chromium profile is created inside. */
export async function probeTmpDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'gpp-browser-test-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Processes whose command line mentions `needle` (e.g. the probe's TMPDIR), as "pid cmdline". */
export async function processesMentioning(needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).replaceAll('\0', ' ');
      if (cmdline.includes(needle)) found.push(`${entry} ${cmdline.slice(0, 160)}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Polls until `pred` holds or `ms` pass; the last value either way. */
export async function pollUntil<T>(read: () => Promise<T>, pred: (v: T) => boolean, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (pred(v) || Date.now() >= deadline) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** An HTTP server that takes requests and never answers them: a login that hangs on the frontend. */
export async function startHangingServer(): Promise<{
  url: string;
  requests: IncomingMessage[];
  close(): Promise<void>;
}> {
  const requests: IncomingMessage[] = [];
  const server: Server = createServer((req) => void requests.push(req));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A healthy double and a frontend that never answers, started before the enclosing suite's tests and closed
 * after them: a browser login that stays under way until the test stops it. Call it inside `describe`.
 */
export function hangingLogin(credentials: DoubleCredentials): {
  double: RunningDouble;
  hanging: Awaited<ReturnType<typeof startHangingServer>>;
} {
  const stage = {} as ReturnType<typeof hangingLogin>;
  before(async () => {
    stage.double = await startDouble({ fault: 'healthy', credentials });
    stage.hanging = await startHangingServer();
  });
  after(async () => {
    await stage.hanging?.close();
    await stage.double?.close();
  });
  return stage;
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
