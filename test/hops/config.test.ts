// Hop config (docs/hops.md): every double fault whose verdict points at it, through the real CLI.
// More on this hop: test/cli/preflight.test.ts, test/unit/config-findings.test.ts.
import { describe } from 'node:test';
import { faultRowsAt, itGivesItsVerdict } from '../support/fault-rows.ts';

describe("hop config: the double's faults through the CLI", { concurrency: 3 }, () => {
  for (const row of faultRowsAt('config')) itGivesItsVerdict(row);
});
