// Issue 14, item 3, end to end: `golden-probe run --agent-timeout-ms 4000` used to exit 2 over
// --agent-degraded-ms (15000), a flag the user never set. Now the threshold follows the deadline.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningDouble, startDouble } from '../../src/double/index.ts';
import { runCli } from '../support/run-cli.ts';
import { probeEnv, testCredentials } from '../support/test-credentials.ts';

const credentials = testCredentials('defaults');

describe('a default never trips a user who set one side of a pair', () => {
  let double: RunningDouble;
  before(async () => {
    double = await startDouble({ fault: 'healthy', credentials });
  });
  after(() => double.close());

  it('run --agent-timeout-ms 4000 alone runs and passes', async () => {
    const env = probeEnv(double, credentials);
    const out = await runCli(['run', '--agent-timeout-ms', '4000', '--log-level', 'silent'], { env });
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.report?.verdict.code, 'PASS');
  });

  it('both set and contradicting: exit 2 naming both, and no run starts', async () => {
    const before = double.requests.length;
    const env = probeEnv(double, credentials);
    const out = await runCli(['run', '--agent-timeout-ms', '4000', '--agent-degraded-ms', '5000'], { env });
    assert.equal(out.code, 2);
    assert.match(out.stderr, /--agent-degraded-ms \(5000\) must be below --agent-timeout-ms \(4000\)/);
    assert.equal(double.requests.length, before);
  });
});
