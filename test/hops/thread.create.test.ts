// Hop thread.create (docs/hops.md): every double fault whose verdict points at it, through the real CLI.
// More on this hop: test/unit/decide-verdict.test.ts, test/unit/cookie-jar.test.ts (the clean-up's instance).
import { describe } from 'node:test';
import { faultRowsAt, itGivesItsVerdict } from '../support/fault-rows.ts';

describe("hop thread.create: the double's faults through the CLI", { concurrency: 3 }, () => {
  for (const row of faultRowsAt('thread.create')) itGivesItsVerdict(row);
});
