// Hop chat.messages.list (docs/hops.md): every double fault whose verdict points at it, through the real CLI.
// More on this hop: test/chaos/rest-hostile.test.ts.
import { describe } from 'node:test';
import { faultRowsAt, itGivesItsVerdict } from '../support/fault-rows.ts';

describe("hop chat.messages.list: the double's faults through the CLI", { concurrency: 3 }, () => {
  for (const row of faultRowsAt('chat.messages.list')) itGivesItsVerdict(row);
});
