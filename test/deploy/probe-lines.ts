// The probe's real stdout lines, from the CLI run against the bundled double: a failed run, a passing run, and
// a run stopped by SIGTERM (RUN_ABORTED). Produced once per test process.
import { spawn } from 'node:child_process';
import { BIN } from '../support/run-cli.ts';

export interface ProbeLines {
  failed: string[];
  passed: string[];
  aborted: string[];
  /** `run` with a configuration error (exit 2): no verdict. */
  misconfigured: string[];
}

let cached: Promise<ProbeLines> | undefined;

export function probeLines(): Promise<ProbeLines> {
  cached ??= (async () => ({
    failed: await demo('rest_403'),
    passed: await demo('healthy'),
    // agent_stall holds the run in agent.run: SIGTERM once ws.connect has been logged stops it there.
    aborted: await demo('agent_stall', '"hop":"ws.connect"'),
    misconfigured: await cli(['run', '--timeout-ms', 'soon']),
  }))();
  return cached;
}

function demo(fault: string, stopAfter?: string): Promise<string[]> {
  return cli(['demo', '--fault', fault, '--log-level', 'info'], stopAfter);
}

function cli(args: string[], stopAfter?: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env))
      if (!k.startsWith('PROBE_') && !k.startsWith('OTEL_') && k !== 'NODE_TEST_CONTEXT') env[k] = v;
    const child = spawn(process.execPath, [BIN, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let stdout = '';
    let signalled = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      if (stopAfter && !signalled && stdout.includes(stopAfter)) {
        signalled = true;
        child.kill('SIGTERM');
      }
    });
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(stdout.split('\n').filter((l) => l.startsWith('{')));
    });
  });
}

export function summaryLine(lines: string[]): string {
  const line = lines.find((l) => 'result' in (JSON.parse(l) as object));
  if (!line) throw new Error('no summary line');
  return line;
}
