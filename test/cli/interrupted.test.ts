// Issue 22 item 2: interrupted is not failed. Real signals to spawned CLIs: a run stopped mid-agent.run
// reports result `aborted` (RUN_ABORTED), exits 130 on SIGINT and 143 on SIGTERM, and its JUnit has no failure.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RunningDouble, startDouble } from '../../src/double/index.ts';
import { BIN, runCli } from '../support/run-cli.ts';
import { probeEnv, testCredentials } from '../support/test-credentials.ts';

const credentials = testCredentials('interrupted');
let double: RunningDouble;
let dir: string;
before(async () => {
  double = await startDouble({ fault: 'agent_stall', credentials });
  dir = await mkdtemp(join(tmpdir(), 'golden-probe-interrupted-'));
});
after(async () => {
  await double.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a run told to stop is aborted, not failed', { concurrency: 2 }, () => {
  for (const [signal, exit] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} mid-agent.run: result aborted, exit ${exit}, JUnit skipped, no failure`, async () => {
      const junit = join(dir, `${signal}.xml`);
      let sent = false;
      const out = await runCli(['run', '--agent-timeout-ms', '20000', '--junit', junit, '--log-level', 'info'], {
        env: probeEnv(double, credentials),
        onSpawn: (child) => {
          child.stdout!.on('data', (chunk: Buffer) => {
            if (!sent && chunk.toString().includes('"hop":"ws.connect"')) {
              sent = true;
              child.kill(signal);
            }
          });
        },
        timeoutMs: 30_000,
      });
      assert.ok(sent, 'the run reached agent.run');
      assert.equal(out.code, exit, out.stderr);
      assert.match(out.stderr, new RegExp(`golden-probe: ${signal}, stopping the run`));
      const report = out.report!;
      assert.equal(report.result, 'aborted');
      assert.equal(report.failedHop, null);
      assert.deepEqual([report.verdict.code, report.verdict.hop], ['RUN_ABORTED', 'agent.run']);
      assert.match(
        report.verdict.summary,
        new RegExp(`stopped \\(${signal}\\) during agent\\.run .*no conclusion about staging`),
      );
      const agent = report.hops.find((h) => h.name === 'agent.run')!;
      assert.deepEqual([agent.status, agent.code], ['skip', 'RUN_ABORTED']);
      assert.ok(report.hops.every((h) => h.status !== 'fail'));
      assert.match(out.stderr, /^ABORTED {2}RUN_ABORTED at agent\.run/m);
      const xml = await readFile(junit, 'utf8');
      assert.doesNotMatch(xml, /<failure/);
      assert.match(xml, /failures="0"/);
      assert.match(xml, /<testcase [^>]*name="agent\.run"[^>]*>\s*<skipped message="the probe was told to stop/);
      assert.match(xml, /<property name="result" value="aborted"\/>/);
    });
  }

  it('double answers SIGINT in its own words', async () => {
    const child = spawn(process.execPath, [BIN, 'double'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        if (stdout.includes('Ctrl-C')) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    assert.equal(await exited, 0);
    assert.match(stderr, /golden-probe: SIGINT, stopping the double/);
    assert.doesNotMatch(stderr, /the run/);
  });
});
