// Issue 19 item 5: the read-back against two backend instances behind the double's cookie-pinning front.
// With the affinity cookie kept (src/net/cookie-jar.ts) every run reads its message back from the instance that
// stored it; without the cookie (fault no_affinity_cookie: the front alternates instances) every run gives the
// same named verdict, never a random MESSAGE_NOT_PERSISTED. 20 runs each, in this process (~2 s).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { FaultName } from '../../src/double/faults.ts';
import { type RunningDouble, startDouble } from '../../src/double/index.ts';
import { runProbe } from '../../src/runner/run-probe.ts';
import { probeSetup } from '../soak/support.ts';
import { testCredentials } from '../support/test-credentials.ts';

const RUNS = 20;

async function verdicts(fault: FaultName): Promise<{ codes: Record<string, number>; instances: Set<number> }> {
  const credentials = testCredentials(`affinity-${fault}`);
  const double: RunningDouble = await startDouble({ fault, credentials });
  try {
    const { config, definition, log } = await probeSetup(double, credentials);
    const codes: Record<string, number> = {};
    for (let run = 0; run < RUNS; run++) {
      const report = await runProbe({ config, definition, log });
      codes[report.verdict.code] = (codes[report.verdict.code] ?? 0) + 1;
    }
    const instances = new Set(double.requests.flatMap((r) => (r.instance === undefined ? [] : [r.instance])));
    return { codes, instances };
  } finally {
    await double.close();
  }
}

describe('chat read-back and instance affinity (two instances behind a GCLB front)', () => {
  let pinned: Awaited<ReturnType<typeof verdicts>>;
  let unpinned: Awaited<ReturnType<typeof verdicts>>;
  before(async () => {
    pinned = await verdicts('healthy');
    unpinned = await verdicts('no_affinity_cookie');
    console.log(
      `affinity figures (${RUNS} runs each): with the cookie ${JSON.stringify(pinned.codes)}; without ${JSON.stringify(unpinned.codes)}`,
    );
  });

  it(`with the cookie kept: ${RUNS} passes in a row, and both instances served runs`, () => {
    assert.deepEqual(pinned.codes, { PASS: RUNS });
    assert.deepEqual([...pinned.instances].sort(), [0, 1], 'the front spread the runs over both instances');
  });

  it(`without affinity: one stable named verdict in ${RUNS} runs, never MESSAGE_NOT_PERSISTED`, () => {
    assert.deepEqual(unpinned.codes, { CHAT_INSTANCE_NOT_PINNED: RUNS });
  });
});
