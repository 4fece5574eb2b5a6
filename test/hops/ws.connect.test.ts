// Hop ws.connect (docs/hops.md): every double fault whose verdict points at it, through the real CLI.
// More on this hop: test/chaos/websocket-hostile.test.ts.
import { describe } from 'node:test';
import { faultRowsAt, itGivesItsVerdict } from '../support/fault-rows.ts';

describe("hop ws.connect: the double's faults through the CLI", { concurrency: 3 }, () => {
  for (const row of faultRowsAt('ws.connect')) itGivesItsVerdict(row);
});
