import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { type RunningDouble, startDouble } from '../../src/double/index.ts';
import { type CliResult, runCli } from '../support/run-cli.ts';
import { probeEnv, testCredentials } from '../support/test-credentials.ts';
import { assertWellFormedXml } from '../support/well-formed-xml.ts';
import type { Hostile } from './hostile-servers.ts';

export const credentials = testCredentials('chaos');

/** Short enough that the suite stays bounded, long enough for a healthy hop on a loaded machine. */
export const TIMEOUT_MS = 4_000;
export const AGENT_TIMEOUT_MS = 2_500;
/**
 * What a run may take beyond --timeout-ms: triage (at least 1 s), writing the report, the telemetry flush
 * (at most 5 s), and starting Node twice on a shared machine. A hang shows as the child being killed at 60 s.
 */
export const GRACE_MS = 12_000;

export interface ChaosResult extends CliResult {
  elapsedMs: number;
  /** The run's --junit file, already checked to be well-formed XML 1.0. */
  junit: string;
}

export interface ChaosStage {
  /** The healthy double that plays every service the case does not replace. */
  readonly double: RunningDouble;
  /** Starts a hostile server and closes it after the suite. */
  serve(server: Promise<Hostile>): Promise<Hostile>;
  /** The probe against the double, with the overridden URLs pointing at hostile servers. */
  run(overrides: Record<string, string>, args?: string[]): Promise<ChaosResult>;
}

/** Call inside a describe(): a healthy double for the suite, and the hostile servers its cases start. */
export function chaosStage(): ChaosStage {
  let double: RunningDouble | undefined;
  const servers: Hostile[] = [];
  before(async () => {
    double = await startDouble({ fault: 'healthy', credentials });
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await double?.close();
  });
  return {
    get double() {
      if (!double) throw new Error('the chaos stage is used before its before() hook ran');
      return double;
    },
    async serve(server) {
      const s = await server;
      servers.push(s);
      return s;
    },
    run(overrides, args = []) {
      return chaosRun(this.double, overrides, args);
    },
  };
}

/**
 * The probe against the double, with one service (or URL) replaced by a hostile server. Whatever the server
 * sent, every case's JUnit file must parse with a strict XML 1.0 parser and no raw control character may
 * reach the terminal.
 */
async function chaosRun(
  double: RunningDouble,
  overrides: Record<string, string>,
  args: string[] = [],
): Promise<ChaosResult> {
  const env = { ...probeEnv(double, credentials), PROBE_WS_URL: double.wsUrl, ...overrides };
  const dir = await mkdtemp(join(tmpdir(), 'golden-probe-chaos-'));
  try {
    const junitPath = join(dir, 'junit.xml');
    const started = performance.now();
    const deadlines = ['--timeout-ms', String(TIMEOUT_MS), '--agent-timeout-ms', String(AGENT_TIMEOUT_MS)];
    const degraded = ['--agent-degraded-ms', String(AGENT_TIMEOUT_MS - 500)];
    const out = await runCli(['run', ...deadlines, ...degraded, '--junit', junitPath, ...args], { env });
    const elapsedMs = Math.round(performance.now() - started);
    const junit = await readFile(junitPath, 'utf8').catch(() => {
      assert.fail(`no JUnit file was written (exit ${out.code}): ${out.stderr.slice(-1000)}`);
    });
    assertWellFormedXml(junit);
    assertNoRawControlChars(out);
    return { ...out, elapsedMs, junit };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** C0 but tab and newline, DEL and C1 (what a terminal would act on), and the invisible characters that reorder text. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/;

export function assertNoRawControlChars(out: CliResult): void {
  for (const [name, text] of [
    ['stdout', out.stdout],
    ['stderr', out.stderr],
  ] as const) {
    const at = text.search(RAW_CONTROL);
    const near = JSON.stringify(text.slice(Math.max(0, at - 40), at + 10));
    assert.equal(at, -1, `a raw U+${text.charCodeAt(at).toString(16).padStart(4, '0')} on ${name} near ${near}`);
  }
}

/** Every hostile case must end like this: exit 1, a failing report naming the hop and the verdict, no crash. */
export function assertCleanFailure(out: ChaosResult, hop: string, code: string): void {
  const where = `exit ${out.code}, stderr:\n${out.stderr.slice(-2000)}`;
  assert.equal(out.code, 1, where);
  assert.ok(out.report, `a report was written (${where})`);
  assert.equal(out.report.result, 'fail');
  assert.equal(
    out.report.failedHop,
    hop,
    `failed hop; verdict ${out.report.verdict.code}: ${out.report.verdict.evidence.join(' | ')}`,
  );
  assert.equal(out.report.verdict.code, code, `verdict; evidence: ${out.report.verdict.evidence.join(' | ')}`);
  assert.equal(out.report.verdict.hop, hop);
  assertNoCrash(out);
  assert.ok(
    out.elapsedMs < TIMEOUT_MS + GRACE_MS,
    `ended in ${out.elapsedMs} ms, beyond --timeout-ms ${TIMEOUT_MS} + ${GRACE_MS} ms`,
  );
  // The figures the README's reliability section quotes: verdict and wall time per hostile case.
  console.log(`chaos figure: ${hop} ${code} exit ${out.code} in ${out.elapsedMs} ms (--timeout-ms ${TIMEOUT_MS})`);
}

export function assertNoCrash(out: CliResult): void {
  assert.doesNotMatch(out.stderr, /internal error|Unhandled|uncaught/i);
  assert.doesNotMatch(out.stderr, /^\s+at .+:\d+:\d+\)?$/m, 'no stack trace on stderr');
}

/** The verdict's evidence as one string, for matching. */
export function evidenceOf(out: CliResult): string {
  return out.report?.verdict.evidence.join('\n') ?? '';
}
