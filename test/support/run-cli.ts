import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Report } from '../../src/report/types.ts';
import { assertValidReport } from './report-schema.ts';

export const BIN = fileURLToPath(new URL('../../bin/golden-probe.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  report: Report | undefined;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  /** Called once the child is running, e.g. to send it a signal. */
  onSpawn?: (child: ReturnType<typeof spawn>) => void;
}

/** Runs the real CLI under this Node (24) in a child process, with --json into a temp dir. */
export async function runCli(args: readonly string[], opts: CliOptions = {}): Promise<CliResult> {
  const dir = await mkdtemp(join(tmpdir(), 'golden-probe-test-'));
  const jsonPath = join(dir, 'report.json');
  const wantsJson = ['run', 'demo', 'replay'].includes(args[0] ?? '') && !args.includes('--json');
  const env: Record<string, string | undefined> = { ...cleanEnv(), ...opts.env };
  try {
    const child = spawn(process.execPath, [BIN, ...args, ...(wantsJson ? ['--json', jsonPath] : [])], {
      env: env as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    opts.onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on('close', (c, s) => resolve([c, s])),
    );
    clearTimeout(timer);
    let report: Report | undefined;
    try {
      report = JSON.parse(await readFile(jsonPath, 'utf8')) as Report;
    } catch {
      report = undefined;
    }
    if (report !== undefined) assertValidReport(report, `the --json report of golden-probe ${args.join(' ')}`);
    return { code, signal, stdout, stderr, report };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The parent's environment without anything that would change the probe's behaviour; PROBE_CHROMIUM_PATH
 * stays: the browser tests decide whether to run by the same Chromium (test/browser/support.ts).
 */
function cleanEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k === 'PROBE_CHROMIUM_PATH') env[k] = v;
    if (k.startsWith('PROBE_') || k.startsWith('OTEL_') || k === 'NODE_TEST_CONTEXT') continue;
    env[k] = v;
  }
  return env;
}
