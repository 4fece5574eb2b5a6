// The whole golden path (docs/hops.md): the double's faults that must end in PASS, through the real CLI.
import { describe } from 'node:test';
import { faultRowsAt, itGivesItsVerdict } from '../support/fault-rows.ts';

describe('the whole path: faults the probe must pass, through the CLI', { concurrency: 3 }, () => {
  for (const row of faultRowsAt(null)) itGivesItsVerdict(row);
});
