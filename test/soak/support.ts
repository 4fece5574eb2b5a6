// Shared by the soak tests: the probe's real run function in this process, against a double started here,
// configured the way `golden-probe run` configures it (flags + environment → RunConfig), logging nothing.
// Not a test file itself.
import pino, { type Logger } from 'pino';
import { loadRunConfig } from '../../src/config/load-run-config.ts';
import type { RunConfig } from '../../src/config/types.ts';
import type { ProbeDefinition } from '../../src/domain/probe-definition.ts';
import type { DoubleCredentials, RunningDouble } from '../../src/double/index.ts';
import { loadDefinition } from '../../src/runner/load-definition.ts';
import { probeEnv } from '../support/test-credentials.ts';

export interface ProbeSetup {
  config: RunConfig;
  definition: ProbeDefinition;
  log: Logger;
}

/** What prepareRun builds for `golden-probe run [flags]` against this double, with a silent logger. */
export async function probeSetup(
  double: RunningDouble,
  credentials: DoubleCredentials,
  flags: Record<string, string> = {},
): Promise<ProbeSetup> {
  const loaded = await loadDefinition('golden-path');
  if (!loaded.definition) throw new Error(loaded.problem);
  const { config, problems } = loadRunConfig(new Map(Object.entries(flags)), probeEnv(double, credentials), {
    logLevel: 'silent',
  });
  if (!config) throw new Error(problems.join('; '));
  return { config, definition: loaded.definition, log: pino({ level: 'silent' }) };
}

/** A positive whole number from the environment, else the default. */
export function countFromEnv(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name}: '${raw}' must be a whole number ≥ 1`);
  return n;
}

/** Nearest-rank percentile of unsorted values. */
export function pct(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1] ?? Number.NaN;
}

export const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** Open client connections on all of the double's servers. */
export function openOnDouble(double: RunningDouble): number {
  const c = double.openConnections();
  return c.auth + c.backend + c.provider + c.frontend;
}

/** Polls (bounded) until the double holds no client connection; returns what is left (0 when drained). */
export async function drained(double: RunningDouble, maxWaitMs = 5_000): Promise<number> {
  const until = Date.now() + maxWaitMs;
  while (openOnDouble(double) > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  return openOnDouble(double);
}

/**
 * Polls (bounded) until no listening or connected TCP handle is left in this process; returns the resource counts then.
 */
export async function tcpHandlesGone(maxWaitMs = 5_000): Promise<Record<string, number>> {
  const until = Date.now() + maxWaitMs;
  const open = () => {
    const r = resources();
    return (r.TCPServerWrap ?? 0) + (r.TCPSocketWrap ?? 0);
  };
  while (open() > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  return resources();
}

/** Counts of this process's active resources by kind (TCPSocketWrap, Timeout, …). */
export function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}
