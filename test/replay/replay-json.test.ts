// replay --json: the report `run --json` writes (report@1, agent.run only), to a file or on stdout for tools.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assertValidReport } from '../support/report-schema.ts';
import { runCli } from '../support/run-cli.ts';

const CANARY = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.c2VjcmV0LXNpZ25hdHVyZS1jYW5hcnk';
const USER = 'user-7';
const THREAD = 'thread_abc';
const frame = (type: string, extra: object = {}) =>
  JSON.stringify({ type, run_id: 'run_1', thread_id: THREAD, user_id: USER, ...extra });
const FAILED = [frame('agent_started'), frame('agent_error', { data: { error_message: `bad ${CANARY}` } })];

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'golden-probe-replay-json-'));
});
after(() => rm(dir, { recursive: true, force: true }));

describe('replay --json', { concurrency: 2 }, () => {
  it('PATH: the summary on stdout, the report in the file, valid and with the token taken out', async () => {
    const capture = join(dir, 'failed.txt');
    await writeFile(capture, `${FAILED.join('\n')}\n`);
    const path = join(dir, 'nested', 'report.json');
    const out = await runCli(['replay', capture, '--user', USER, '--thread', THREAD, '--json', path]);
    assert.equal(out.code, 1, out.stdout + out.stderr);
    assert.match(out.stdout, /^FAIL {2}AGENT_FAILED at agent\.run/m);
    const text = await readFile(path, 'utf8');
    assert.ok(!text.includes(CANARY) && !text.includes('c2VjcmV0'), 'no token in the JSON');
    const report = JSON.parse(text) as unknown;
    assertValidReport(report, 'replay --json');
    assert.equal(report.probe, 'replay');
    assert.equal(report.result, 'fail');
    assert.equal(report.failedHop, 'agent.run');
    assert.equal(report.verdict.code, 'AGENT_FAILED');
    assert.deepEqual(
      report.hops.map((h) => h.name),
      ['agent.run'],
    );
  });

  it('-: only the JSON on stdout, the same exit code', async () => {
    const capture = join(dir, 'failed2.txt');
    await writeFile(capture, `${FAILED.join('\n')}\n`);
    const out = await runCli(['replay', capture, '--user', USER, '--thread', THREAD, '--json', '-']);
    assert.equal(out.code, 1, out.stderr);
    const report = JSON.parse(out.stdout) as unknown;
    assertValidReport(report, 'replay --json -');
    assert.equal(report.verdict.code, 'AGENT_FAILED');
  });

  it('a path that cannot be written: exit 2 before the capture is read, nothing printed', async () => {
    const out = await runCli(['replay', join(dir, 'no-such-capture.txt'), '--json', dir]);
    assert.equal(out.code, 2);
    assert.equal(out.stdout, '');
    assert.match(out.stderr, /--json: .* is a directory/);
    assert.doesNotMatch(out.stderr, /does not exist/);
  });
});
